//! The pages as HTML: what each shows of the samples, and that report text
//! never becomes markup.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{app, enc, get, send};

async fn report_2024(app: &gwr_serve::App) -> i64 {
    let v = get(app, "/api/v1/documents?region=330102&year=2024")
        .await
        .json();
    v["items"][0]["id"].as_i64().expect("an id")
}

/// The text between `start` and the next `end` after it.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let i = html.find(start).map_or(html.len(), |i| i + start.len());
    let rest = &html[i..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

#[tokio::test]
async fn the_reader_marks_figures_and_lists_targets_and_projects() {
    let app = app();
    let id = report_2024(&app).await;
    let r = get(&app, &format!("/doc/{id}")).await;
    assert_eq!(r.status, StatusCode::OK);
    let html = r.text();
    assert!(html.contains("id=\"outline\""));
    // Figures marked by kind, each linking to its source span.
    for kind in ["k-actual", "k-target"] {
        assert!(html.contains(&format!("class=\"fig {kind}\"")), "{kind}");
    }
    assert!(html.contains(&format!("href=\"/source/{id}?start=")));
    assert!(html.contains("data-metric=\"gdp\""));
    // The GDP target with its floor and stretch.
    let targets = between(&html, "id=\"targets\"", "</section>");
    let gdp = between(targets, "地区生产总值", "</tr>");
    assert!(gdp.contains("<code>gdp</code>"), "{gdp}");
    assert!(gdp.contains("class=\"num floor\">4<"), "{gdp}");
    assert!(gdp.contains("class=\"num stretch\">5.5<"), "{gdp}");
    // The twelve candidate 民生实事 projects.
    let projects = between(&html, "id=\"commitments\"", "</section>");
    assert_eq!(
        projects.matches("<td>candidate</td>").count(),
        12,
        "{projects}"
    );
    assert!(projects.contains("“学有优教”在上城"));
}

#[tokio::test]
async fn library_region_compare_and_search_pages() {
    let app = app();
    let lib = get(&app, "/").await.text();
    assert!(lib.contains("id=\"library\"") && lib.contains("上城区") && lib.contains("2024"));
    let region = get(&app, "/region?region=330102&metric=gdp").await.text();
    assert!(region.contains("data-chart=\"track\"") && region.contains("id=\"chart-data\""));
    assert!(region.contains("id=\"tracking\""));
    let compare = get(&app, "/compare?metric=gdp&year=2023").await.text();
    assert!(compare.contains("data-chart=\"bars\"") && compare.contains("id=\"comparison\""));
    let search = get(&app, &format!("/search?q={}", enc("营商环境")))
        .await
        .text();
    assert!(search.contains("<mark>营商环境</mark>"), "{search}");
    assert!(search.contains("href=\"/doc/") && search.contains("#p"));
    let none = get(&app, "/search?q=zzzzqqqq").await.text();
    assert!(none.contains("No passages match."));
    let bad = get(&app, "/doc/999999").await;
    assert_eq!(bad.status, StatusCode::NOT_FOUND);
    assert!(bad.text().contains("no document 999999"));
}

/// A multipart form with one file.
fn upload(name: &str, bytes: &[u8]) -> Request<Body> {
    let boundary = "gwrboundary7d1f";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    Request::post("/open")
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .expect("request")
}

#[tokio::test]
async fn report_text_that_looks_like_markup_stays_text() {
    let app = app();
    let hostile = "政府工作报告\n一、2024年工作回顾\n<script>alert('x')</script>全县生产总值增长6%。\n<a href=\"javascript:alert(1)\">点此</a> <img src=x onerror=alert(2)>\n二、2025年主要预期目标\n地区生产总值增长6%以上。\n";
    let r = send(&app, upload("<b>report</b>.txt", hostile.as_bytes())).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let html = r.text();
    assert!(!html.contains("<script>alert"), "a script from the text");
    assert!(!html.contains("<img src=x"), "an element from the text");
    assert!(
        !html.contains("<a href=\"javascript:"),
        "a link from the text"
    );
    assert!(!html.contains("<b>report</b>"), "markup from the file name");
    assert!(html.contains("&lt;script&gt;alert"));
    assert!(html.contains("&lt;b&gt;report&lt;/b&gt;"));
    // The figures are still read and marked (without source links).
    assert!(html.contains("<mark class=\"fig k-target\""), "{html}");
    let csp = r.headers["content-security-policy"]
        .to_str()
        .unwrap_or_default();
    assert!(csp.contains("default-src 'none'"));
    // No file sent, and a file over the limit.
    let empty = send(
        &app,
        Request::post("/open")
            .header("content-type", "multipart/form-data; boundary=x")
            .body(Body::from("--x--\r\n"))
            .expect("request"),
    )
    .await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
    let tiny = gwr_serve::App::open(
        common::samples_db(),
        gwr_serve::Limits {
            upload_bytes: 64,
            ..gwr_serve::Limits::default()
        },
    )
    .expect("store opens");
    let big = send(&tiny, upload("big.txt", hostile.repeat(3).as_bytes())).await;
    assert!(big.status.is_client_error(), "{}", big.status);
}

#[tokio::test]
async fn the_source_page_marks_the_span() {
    let app = app();
    let v = get(&app, "/api/v1/facts?metric=gdp&kind=target&region=330102")
        .await
        .json();
    let f = &v["items"][0];
    let page = get(
        &app,
        &format!(
            "/source/{}?start={}&end={}",
            f["document_id"], f["source_start"], f["source_end"]
        ),
    )
    .await
    .text();
    assert!(
        page.contains("<mark class=\"span\">地区生产总值增长4%以上、力争5.5%</mark>"),
        "{page}"
    );
}
