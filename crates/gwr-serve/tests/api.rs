//! Every API route, its errors and its limits, over a store of the bundled
//! samples, sent straight to the router.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{app, enc, get, send};
use std::time::Duration;

/// The id of the samples' 2024 report of 上城区 (330102).
async fn report_2024(app: &gwr_serve::App) -> i64 {
    let r = get(app, "/api/v1/documents?region=330102&year=2024").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v = r.json();
    assert_eq!(v["total"], 1);
    v["items"][0]["id"].as_i64().expect("an id")
}

fn assert_error(r: &common::Reply, status: StatusCode, words: &str) {
    assert_eq!(r.status, status, "{}", r.text());
    let v = r.json();
    assert_eq!(v["error"]["status"], status.as_u16());
    let m = v["error"]["message"].as_str().unwrap_or_default();
    assert!(m.contains(words), "{m:?} should say {words:?}");
}

#[tokio::test]
async fn documents_filter_and_page() {
    let app = app();
    let all = get(&app, "/api/v1/documents").await.json();
    let total = all["total"].as_u64().unwrap_or(0);
    assert!(total >= 5, "{all}");
    let page = get(&app, "/api/v1/documents?limit=2&offset=1").await.json();
    assert_eq!(page["items"].as_array().map(Vec::len), Some(2));
    assert_eq!(page["total"].as_u64(), Some(total));
    assert_eq!(page["items"][0]["id"], all["items"][1]["id"]);
    let reports = get(
        &app,
        "/api/v1/documents?type=government_work_report&level=district",
    )
    .await
    .json();
    assert!(reports["items"].as_array().is_some_and(|v| {
        !v.is_empty()
            && v.iter()
                .all(|d| d["doc_type"] == "government_work_report" && d["level"] == "district")
    }));
    let big = get(&app, "/api/v1/documents?limit=100000").await;
    assert_eq!(big.status, StatusCode::OK);
    assert_error(
        &get(&app, "/api/v1/documents?year=soon").await,
        StatusCode::BAD_REQUEST,
        "year",
    );
}

#[tokio::test]
async fn a_document_has_metadata_outline_and_text() {
    let app = app();
    let id = report_2024(&app).await;
    let d = get(&app, &format!("/api/v1/documents/{id}")).await.json();
    assert_eq!(d["region"], "上城区");
    assert_eq!(d["plan_year"], 2024);
    assert!(d["outline"].as_array().is_some_and(|o| o.len() > 5));
    assert!(d["passages"].as_array().is_some_and(|p| p.len() > 20));
    assert!(
        d["text"]
            .as_str()
            .is_some_and(|t| t.contains("地区生产总值增长4%以上"))
    );
    assert_error(
        &get(&app, "/api/v1/documents/999999").await,
        StatusCode::NOT_FOUND,
        "no document",
    );
    assert_error(
        &get(&app, "/api/v1/documents/abc").await,
        StatusCode::BAD_REQUEST,
        "",
    );
}

#[tokio::test]
async fn facts_filter_as_the_command_line_does() {
    let app = app();
    let r = get(&app, "/api/v1/facts?metric=gdp&kind=target&limit=1000")
        .await
        .json();
    let items = r["items"].as_array().cloned().unwrap_or_default();
    assert!(!items.is_empty());
    assert!(
        items
            .iter()
            .all(|f| f["metric_id"] == "gdp" && f["kind"] == "target")
    );
    // Ids in any case and Chinese names mean the same metric.
    for given in ["GDP", &enc("地区生产总值")] {
        let same = get(
            &app,
            &format!("/api/v1/facts?metric={given}&kind=target&limit=1000"),
        )
        .await
        .json();
        assert_eq!(same["total"], r["total"], "{given}");
    }
    let year = get(&app, "/api/v1/facts?year=2023&region=330102")
        .await
        .json();
    assert!(year["items"].as_array().is_some_and(|v| {
        !v.is_empty()
            && v.iter()
                .all(|f| f["year"] == 2023 && f["region_code"] == "330102")
    }));
    // Every fact knows where it sits in its document's text.
    let f = &year["items"][0];
    assert!(
        f["text_start"].as_i64().is_some() && f["text_end"].as_i64() > f["text_start"].as_i64()
    );
    let capped = get(&app, "/api/v1/facts?limit=5000").await.json();
    assert!(capped["items"].as_array().is_some_and(|v| v.len() <= 1000));
    assert_error(
        &get(&app, "/api/v1/facts?metric=gpd").await,
        StatusCode::BAD_REQUEST,
        "gpd",
    );
    assert_error(
        &get(&app, "/api/v1/facts?kind=wish").await,
        StatusCode::BAD_REQUEST,
        "kind",
    );
}

#[tokio::test]
async fn targets_carry_floor_and_stretch() {
    let app = app();
    let r = get(&app, "/api/v1/targets?region=330102&metric=gdp")
        .await
        .json();
    let t = &r["items"][0];
    assert_eq!(r["total"], 1, "{r}");
    assert_eq!(t["comparator"], "at_least");
    assert_eq!(t["change_type"], "growth_pct");
    assert_eq!(t["change_value"], 4.0);
    assert_eq!(t["stretch"], 5.5);
    assert_eq!(t["evidence"], "地区生产总值增长4%以上、力争5.5%");
}

#[tokio::test]
async fn commitments_list_the_candidate_projects() {
    let app = app();
    let id = report_2024(&app).await;
    let r = get(&app, &format!("/api/v1/commitments?document={id}"))
        .await
        .json();
    let items = r["items"].as_array().cloned().unwrap_or_default();
    let candidates: Vec<_> = items.iter().filter(|c| c["stage"] == "candidate").collect();
    assert_eq!(candidates.len(), 12, "{r}");
    assert!(candidates.iter().all(|c| c["announced"] == 12));
}

#[tokio::test]
async fn tracking_and_compare_are_the_engine_analyses() {
    let app = app();
    let t = get(&app, "/api/v1/tracking?region=330102&metric=gdp")
        .await
        .json();
    let rows = t["rows"].as_array().cloned().unwrap_or_default();
    assert!(
        rows.iter()
            .any(|r| r["year"] == 2024 && r["target"] == 4.0 && r["stretch"] == 5.5),
        "{t}"
    );
    assert_eq!(t["truncated"], false);
    assert_error(
        &get(&app, "/api/v1/tracking?metric=gdp").await,
        StatusCode::BAD_REQUEST,
        "region",
    );
    let c = get(&app, "/api/v1/compare?metric=gdp&year=2023&kind=actual")
        .await
        .json();
    assert!(
        c.as_array()
            .is_some_and(|v| !v.is_empty() && v.iter().all(|r| r["kind"] == "actual")),
        "{c}"
    );
    assert_error(
        &get(&app, "/api/v1/compare?metric=gdp").await,
        StatusCode::BAD_REQUEST,
        "year",
    );
}

#[tokio::test]
async fn search_ranks_and_marks() {
    let app = app();
    let hits = get(
        &app,
        &format!("/api/v1/search?q={}&limit=5", enc("营商环境")),
    )
    .await
    .json();
    let hits = hits.as_array().cloned().unwrap_or_default();
    assert!(!hits.is_empty() && hits.len() <= 5);
    for h in &hits {
        assert!(
            h["snippet"]
                .as_str()
                .is_some_and(|s| s.contains("【营商环境】"))
        );
        let text: Vec<char> = h["text"].as_str().unwrap_or_default().chars().collect();
        let m = &h["marks"][0];
        let (a, b) = (
            m[0].as_u64().unwrap_or(0) as usize,
            m[1].as_u64().unwrap_or(0) as usize,
        );
        assert_eq!(text[a..b].iter().collect::<String>(), "营商环境");
        assert!(h["document_id"].as_i64().is_some() && h["passage_id"].as_i64().is_some());
    }
    let filtered = get(
        &app,
        &format!("/api/v1/search?q={}&role=tasks&year=2024", enc("营商环境")),
    )
    .await
    .json();
    assert!(filtered.as_array().is_some_and(|v| {
        v.iter()
            .all(|h| h["role"] == "tasks" && h["plan_year"] == 2024)
    }));
    let none = get(&app, "/api/v1/search?q=zzzzqqqq").await;
    assert_eq!(none.status, StatusCode::OK);
    assert_eq!(none.json(), serde_json::json!([]));
    let long = "字".repeat(2000);
    assert_error(
        &get(&app, &format!("/api/v1/search?q={}", enc(&long))).await,
        StatusCode::BAD_REQUEST,
        "too long",
    );
    assert_error(
        &get(&app, "/api/v1/search").await,
        StatusCode::BAD_REQUEST,
        "q",
    );
}

#[tokio::test]
async fn sql_is_read_only_capped_and_timed() {
    let app = app();
    let q = enc("SELECT COUNT(*) AS n FROM documents");
    let r = get(&app, &format!("/api/v1/sql?q={q}")).await.json();
    assert_eq!(r["columns"], serde_json::json!(["n"]));
    assert!(r["rows"][0][0].as_i64().is_some_and(|n| n >= 5));
    let capped = get(
        &app,
        &format!("/api/v1/sql?q={}&max_rows=3", enc("SELECT id FROM facts")),
    )
    .await
    .json();
    assert_eq!(capped["rows"].as_array().map(Vec::len), Some(3));
    assert_eq!(capped["truncated"], true);
    let posted = send(
        &app,
        Request::post("/api/v1/sql")
            .header("content-type", "application/json")
            .body(Body::from(
                r#"{"q": "SELECT metric_id FROM facts WHERE metric_id = 'gdp' LIMIT 1"}"#,
            ))
            .expect("request"),
    )
    .await;
    assert_eq!(posted.json()["rows"][0][0], "gdp");
    for bad in [
        "DELETE FROM facts",
        "DROP TABLE facts",
        "PRAGMA user_version = 9",
        "ATTACH DATABASE 'x' AS y",
    ] {
        let r = get(&app, &format!("/api/v1/sql?q={}", enc(bad))).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}: {}", r.text());
    }
    assert_error(
        &get(&app, &format!("/api/v1/sql?q={}", enc("SELEC 1"))).await,
        StatusCode::BAD_REQUEST,
        "syntax",
    );
    let bad_json = send(
        &app,
        Request::post("/api/v1/sql")
            .header("content-type", "application/json")
            .body(Body::from("{"))
            .expect("request"),
    )
    .await;
    assert!(bad_json.status.is_client_error() && bad_json.json()["error"]["message"].is_string());
    // A query that never ends stops at the time limit.
    let slow = gwr_serve::App::open(
        common::samples_db(),
        gwr_serve::Limits {
            query_time: Duration::from_millis(300),
            ..gwr_serve::Limits::default()
        },
    )
    .expect("store opens");
    let forever =
        enc("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT MAX(x) FROM c");
    assert_error(
        &get(&slow, &format!("/api/v1/sql?q={forever}")).await,
        StatusCode::SERVICE_UNAVAILABLE,
        "time limit",
    );
}

#[tokio::test]
async fn exports_are_csv_or_parquet() {
    let app = app();
    let q = enc("SELECT metric_id, value, year FROM facts WHERE metric_id IS NOT NULL");
    let csv = get(&app, &format!("/api/v1/export?q={q}")).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.headers["content-type"]
            .to_str()
            .is_ok_and(|t| t.starts_with("text/csv"))
    );
    assert!(csv.text().starts_with("metric_id,value,year\n"));
    let pq = get(&app, &format!("/api/v1/export?q={q}&format=parquet")).await;
    assert_eq!(pq.status, StatusCode::OK);
    assert!(pq.body.starts_with(b"PAR1") && pq.body.ends_with(b"PAR1"));
    assert_eq!(pq.headers["x-gwr-truncated"], "false");
    let small = gwr_serve::App::open(
        common::samples_db(),
        gwr_serve::Limits {
            export_rows: 2,
            ..gwr_serve::Limits::default()
        },
    )
    .expect("store opens");
    let cut = get(&small, &format!("/api/v1/export?q={q}")).await;
    assert_eq!(cut.headers["x-gwr-truncated"], "true");
    assert_eq!(cut.text().lines().count(), 3);
    assert_error(
        &get(&app, &format!("/api/v1/export?q={q}&format=xlsx")).await,
        StatusCode::BAD_REQUEST,
        "format",
    );
    assert_error(
        &get(
            &app,
            &format!("/api/v1/export?q={}", enc("DELETE FROM facts")),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "read-only",
    );
}

const REPORT: &str = "政府工作报告\n——2025年1月10日在某某县第一届人民代表大会第五次会议上\n\n一、2024年工作回顾\n全县生产总值增长6.2%，一般公共预算收入18.5亿元。\n二、2025年主要预期目标\n地区生产总值增长6%以上、力争7%。\n";

#[tokio::test]
async fn a_file_is_parsed_without_storing_it() {
    let app = app();
    let before = get(&app, "/api/v1/documents").await.json()["total"].clone();
    let r = send(
        &app,
        Request::post("/api/v1/parse?name=report.txt")
            .body(Body::from(REPORT))
            .expect("request"),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v = r.json();
    let d = &v["documents"][0];
    assert!(d["facts"].as_array().is_some_and(|f| {
        f.iter()
            .any(|f| f["metric_id"] == "gdp" && f["kind"] == "target")
    }));
    assert!(
        d["targets"]
            .as_array()
            .is_some_and(|t| t.iter().any(|t| t["stretch"] == 7.0))
    );
    assert_eq!(get(&app, "/api/v1/documents").await.json()["total"], before);
    assert_error(
        &send(
            &app,
            Request::post("/api/v1/parse")
                .body(Body::empty())
                .expect("request"),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "empty",
    );
    let tiny = gwr_serve::App::open(
        common::samples_db(),
        gwr_serve::Limits {
            upload_bytes: 100,
            ..gwr_serve::Limits::default()
        },
    )
    .expect("store opens");
    let big = send(
        &tiny,
        Request::post("/api/v1/parse")
            .body(Body::from(REPORT.repeat(4)))
            .expect("request"),
    )
    .await;
    assert_error(&big, StatusCode::PAYLOAD_TOO_LARGE, "at most 100");
    let damaged = send(
        &app,
        Request::post("/api/v1/parse?name=broken.docx")
            .body(Body::from("PK\u{3}\u{4} not a zip"))
            .expect("request"),
    )
    .await;
    assert_error(&damaged, StatusCode::UNPROCESSABLE_ENTITY, "broken.docx");
}

#[tokio::test]
async fn the_openapi_description_names_every_route() {
    let app = app();
    let v = get(&app, "/api/v1/openapi.json").await.json();
    assert!(v["openapi"].as_str().is_some_and(|s| s.starts_with("3.")));
    for route in [
        "/api/v1/documents",
        "/api/v1/documents/{id}",
        "/api/v1/documents/{id}/source",
        "/api/v1/facts",
        "/api/v1/targets",
        "/api/v1/commitments",
        "/api/v1/tracking",
        "/api/v1/compare",
        "/api/v1/search",
        "/api/v1/sql",
        "/api/v1/export",
        "/api/v1/parse",
        "/api/v1/metrics",
    ] {
        assert!(v["paths"][route].is_object(), "{route} is not described");
    }
    assert!(v["components"]["schemas"]["FactRow"].is_object());
    let m = get(&app, "/api/v1/metrics").await.json();
    assert!(
        m.as_array()
            .is_some_and(|v| v.iter().any(|m| m["id"] == "gdp"))
    );
}

#[tokio::test]
async fn unknown_routes_and_assets_are_404_and_headers_are_strict() {
    let app = app();
    assert_error(
        &get(&app, "/api/v1/nothing").await,
        StatusCode::NOT_FOUND,
        "no such API route",
    );
    for path in [
        "/assets/..%2fCargo.toml",
        "/assets/../../Cargo.toml",
        "/assets/nothing.js",
        "/nothing",
    ] {
        assert_eq!(
            get(&app, path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    for path in ["/", "/api/v1/documents", "/assets/app.js", "/nothing"] {
        let r = get(&app, path).await;
        let csp = r.headers["content-security-policy"]
            .to_str()
            .unwrap_or_default();
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe"),
            "{path}: {csp}"
        );
        assert_eq!(r.headers["x-content-type-options"], "nosniff");
    }
}

#[tokio::test]
async fn the_source_span_is_read_from_the_original_file() {
    let app = app();
    let r = get(&app, "/api/v1/facts?metric=gdp&kind=target&region=330102")
        .await
        .json();
    let f = &r["items"][0];
    let (doc, start, end) = (&f["document_id"], &f["source_start"], &f["source_end"]);
    let v = get(
        &app,
        &format!("/api/v1/documents/{doc}/source?start={start}&end={end}"),
    )
    .await
    .json();
    assert_eq!(v["span"], f["evidence"]);
    assert_eq!(v["layer"], "file");
    assert!(v["before"].as_str().is_some_and(|s| !s.is_empty()));
    assert_error(
        &get(
            &app,
            &format!("/api/v1/documents/{doc}/source?start=10&end=5"),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "span",
    );
}
