//! The web pages, rendered on the server. maud escapes every value it
//! writes, so report text (untrusted: most of it comes from web pages) is
//! always text; the only raw output is chart data, JSON inside a
//! `<script type="application/json">` with `<` escaped. Pages load one
//! script (`/assets/app.js`, which draws the charts with uPlot) and one
//! stylesheet, as the Content-Security-Policy allows.

use crate::App;
use crate::api::{self, ApiError, OpenedDocument, SearchParams};
use crate::highlight::{self, Place};
use axum::Router;
use axum::extract::{Multipart, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use gwr_engine::tracking::{Compared, Tracked, Verdict};
use gwr_store::read::{CommitmentRow, DocumentDetail, DocumentSummary, FactRow, TargetRow};
use gwr_store::{DocQuery, Hit, RowQuery};
use maud::{DOCTYPE, Markup, PreEscaped, html};
use serde::Deserialize;
use std::collections::BTreeMap;

/// Most facts the reader marks in one document.
pub const READER_FACTS: usize = 20_000;
/// Most documents the library shows.
const LIBRARY_DOCS: usize = 20_000;

pub(crate) fn routes() -> Router<App> {
    Router::new()
        .route("/", get(library))
        .route("/doc/{id}", get(reader))
        .route("/source/{id}", get(source))
        .route("/region", get(region))
        .route("/compare", get(compare))
        .route("/search", get(search))
        .route("/open", get(open_form).post(open_file))
}

/// An error as a page, with its status.
struct PageError(ApiError);

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> Self {
        PageError(e)
    }
}

impl From<crate::pool::CallError> for PageError {
    fn from(e: crate::pool::CallError) -> Self {
        PageError(e.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let status = self.0.status;
        let body = page(
            "Error",
            "",
            html! {
                h1 { (status.as_u16()) " " (status.canonical_reason().unwrap_or("")) }
                p.error { (self.0.message) }
                p { a href="/" { "Back to the library" } }
            },
        );
        (status, body).into_response()
    }
}

type PageResult = Result<Markup, PageError>;

pub(crate) async fn not_found() -> Response {
    PageError(ApiError::not_found("no such page")).into_response()
}

/// A query string from pairs (values percent-encoded).
fn query(pairs: &[(&str, &str)]) -> String {
    let kept: Vec<(&str, &str)> = pairs
        .iter()
        .copied()
        .filter(|(_, v)| !v.is_empty())
        .collect();
    serde_urlencoded::to_string(kept).unwrap_or_default()
}

/// JSON for a `<script type="application/json">`: `<` escaped so the text
/// can never close the element.
fn script_json(v: &impl serde::Serialize) -> PreEscaped<String> {
    let s = serde_json::to_string(v).unwrap_or_else(|_| "null".into());
    PreEscaped(
        s.replace('<', "\\u003c")
            .replace('>', "\\u003e")
            .replace('&', "\\u0026"),
    )
}

fn page(title: &str, active: &str, body: Markup) -> Markup {
    let nav = [
        ("/", "library", "Library 文库"),
        ("/search", "search", "Search 检索"),
        ("/region", "region", "Region 地区"),
        ("/compare", "compare", "Compare 比较"),
        ("/open", "open", "Open a file 打开文件"),
    ];
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · gwr" }
                link rel="stylesheet" href="/assets/uplot.css";
                link rel="stylesheet" href="/assets/app.css";
                script src="/assets/uplot.js" defer {}
                script src="/assets/app.js" defer {}
            }
            body {
                header.top {
                    a.brand href="/" { "gwr" }
                    nav {
                        @for (href, key, label) in nav {
                            a href=(href) class=@if key == active { "active" } { (label) }
                        }
                    }
                }
                main { (body) }
                footer { "gwr · government work reports as data · " a href="/api/v1/openapi.json" { "API" } " · charts by " a href="/assets/uplot-LICENSE.txt" { "uPlot (MIT)" } }
            }
        }
    }
}

fn opt<T: std::fmt::Display>(v: &Option<T>) -> String {
    v.as_ref().map(|x| x.to_string()).unwrap_or_default()
}

/// A number as a person writes it (no trailing .0).
fn num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        let s = format!("{v:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

fn onum(v: Option<f64>) -> String {
    v.map(num).unwrap_or_default()
}

// ---------------------------------------------------------------- library

#[derive(Debug, Deserialize, Default)]
struct LibraryParams {
    level: Option<String>,
    #[serde(rename = "type")]
    doc_type: Option<String>,
    region: Option<String>,
}

async fn library(State(app): State<App>, Query(p): Query<LibraryParams>) -> PageResult {
    let q = DocQuery {
        level: p.level.clone().filter(|s| !s.is_empty()),
        doc_type: p.doc_type.clone().filter(|s| !s.is_empty()),
        region: p.region.clone().filter(|s| !s.is_empty()),
        ..DocQuery::default()
    };
    let docs = app
        .pool
        .call(move |s| {
            let mut all = Vec::new();
            loop {
                let page = s.documents(&DocQuery {
                    offset: all.len(),
                    limit: gwr_store::read::MAX_PAGE,
                    ..q.clone()
                })?;
                let done = page.items.is_empty() || all.len() + page.items.len() >= LIBRARY_DOCS;
                all.extend(page.items);
                if done || all.len() as u64 >= page.total {
                    break;
                }
            }
            Ok(all)
        })
        .await?;
    let mut years: Vec<Option<i64>> = docs.iter().map(|d| d.plan_year).collect();
    years.sort();
    years.dedup();
    // Rows: one per region (code, name, level), in code order.
    let mut rows: BTreeMap<(String, String), LibraryRow<'_>> = BTreeMap::new();
    for d in &docs {
        let key = (
            opt(&d.region_code),
            d.region.clone().unwrap_or_else(|| "(no region)".into()),
        );
        rows.entry(key)
            .or_insert_with(|| (d.level.clone(), BTreeMap::new()))
            .1
            .entry(d.plan_year)
            .or_default()
            .push(d);
    }
    let levels = [
        "national", "province", "city", "district", "county", "township",
    ];
    let types = [
        "government_work_report",
        "party_committee_report",
        "glossary",
        "other",
    ];
    let chosen = |a: &Option<String>, v: &str| a.as_deref() == Some(v);
    Ok(page(
        "Library",
        "library",
        html! {
            h1 { "Library" }
            form.filters method="get" action="/" {
                label { "Level "
                    select name="level" {
                        option value="" { "any" }
                        @for l in levels { option value=(l) selected[chosen(&p.level, l)] { (l) } }
                    }
                }
                label { "Type "
                    select name="type" {
                        option value="" { "any" }
                        @for t in types { option value=(t) selected[chosen(&p.doc_type, t)] { (t) } }
                    }
                }
                label { "Region " input name="region" value=(opt(&p.region)) placeholder="name or code"; }
                button type="submit" { "Filter" }
            }
            p.summary { (docs.len()) " documents · " (rows.len()) " regions · cells show facts / targets" }
            @if docs.is_empty() {
                p.empty { "No documents match. Add reports with " code { "gwr ingest" } "." }
            } @else {
                div.grid-wrap {
                    table.grid id="library" {
                        thead { tr {
                            th { "Region" } th { "Level" }
                            @for y in &years { th { @if let Some(y) = y { (y) } @else { "—" } } }
                        } }
                        tbody {
                            @for ((code, name), (level, cells)) in &rows {
                                tr {
                                    th.region {
                                        @if code.is_empty() { (name) } @else {
                                            a href={ "/region?" (query(&[("region", code)])) } title=(code) { (name) }
                                        }
                                    }
                                    td.level { (opt(level)) }
                                    @for y in &years {
                                        td {
                                            @if let Some(ds) = cells.get(y) {
                                                @for d in ds {
                                                    a.doc href={ "/doc/" (d.id) } title={ (d.title.clone().unwrap_or_default()) " · " (d.file) "#" (d.part) } {
                                                        span.type { (short_type(&d.doc_type)) }
                                                        " " (d.facts) " / " (d.targets)
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
    ))
}

/// A region's row of the library: its level and its documents by year.
type LibraryRow<'a> = (
    Option<String>,
    BTreeMap<Option<i64>, Vec<&'a DocumentSummary>>,
);

fn short_type(t: &str) -> &'static str {
    match t {
        "government_work_report" => "报告",
        "party_committee_report" => "全会",
        "glossary" => "名词",
        _ => "其他",
    }
}

// ----------------------------------------------------------------- reader

async fn reader(State(app): State<App>, api::Id(id): api::Id) -> PageResult {
    let data = app
        .pool
        .call(move |s| {
            let Some(document) = s.document(id)? else {
                return Ok(None);
            };
            let q = RowQuery {
                document: Some(id),
                ..RowQuery::default()
            };
            Ok(Some(OpenedDocument {
                document,
                facts: s.facts_up_to(&q, READER_FACTS)?.items,
                targets: s.targets(&q)?.items,
                commitments: s.commitments(&q)?.items,
            }))
        })
        .await?;
    let Some(d) = data else {
        return Err(ApiError::not_found(format!("no document {id}")).into());
    };
    let title = d
        .document
        .summary
        .title
        .clone()
        .unwrap_or_else(|| d.document.summary.file.clone());
    Ok(page(&title, "library", reader_body(&d, true)))
}

/// The tooltip of a figure: metric and id, kind and year, value in base
/// units, change and qualifiers, section.
fn fact_title(f: &FactRow) -> String {
    let mut lines = vec![format!(
        "{} · {}",
        f.metric,
        f.metric_id.as_deref().unwrap_or("no id")
    )];
    let mut when = f.kind.clone();
    if let Some(y) = f.year {
        when.push_str(&format!(" · {y}"));
    } else if let (Some(a), Some(b)) = (f.year_from, f.year_to) {
        when.push_str(&format!(" · {a}–{b}"));
    }
    lines.push(when);
    if let Some(v) = f.value {
        let mut s = format!("value {}{}", num(v), f.unit.as_deref().unwrap_or(""));
        if let (Some(b), Some(u)) = (f.value_base, &f.base_unit) {
            s.push_str(&format!(" = {} {u}", num(b)));
        }
        lines.push(s);
    }
    if let Some(c) = &f.change_type {
        let mut s = format!("change {c} {}", onum(f.change_value));
        if let Some(q) = &f.change_qualifier {
            s.push_str(&format!(" ({q})"));
        }
        if let (Some(lo), Some(hi)) = (f.change_lo, f.change_hi) {
            s.push_str(&format!(" range {}–{}", num(lo), num(hi)));
        }
        if let Some(st) = f.change_stretch {
            s.push_str(&format!(" stretch {}", num(st)));
        }
        lines.push(s);
    }
    if let Some(q) = &f.qualifier {
        lines.push(format!("qualifier {q}"));
    }
    if let Some(st) = f.stretch {
        lines.push(format!("stretch {}", num(st)));
    }
    if let Some(s) = &f.section {
        lines.push(format!("section {s} {}", opt(&f.role)));
    }
    lines.join("\n")
}

fn reader_body(d: &OpenedDocument, stored: bool) -> Markup {
    let doc: &DocumentDetail = &d.document;
    let s = &doc.summary;
    let places: Vec<Place<'_>> = d
        .facts
        .iter()
        .map(|f| Place {
            chars: f
                .text_start
                .zip(f.text_end)
                .map(|(a, b)| (a as usize, b as usize)),
            evidence: &f.evidence,
        })
        .collect();
    let paras = highlight::paragraphs(&doc.text, &doc.passages, &places);
    let mut anchored = std::collections::HashSet::new();
    let counts = |k: &str| d.facts.iter().filter(|f| f.kind == k).count();
    html! {
        div.reader {
            nav.outline id="outline" {
                h2 { "Outline" }
                @if doc.outline.is_empty() { p.empty { "No headings." } }
                ul {
                    @for h in &doc.outline {
                        li class={ "lvl" (h.level.min(4)) } {
                            a href={ "#s-" (h.sid) } { (h.title) }
                            @if let Some(r) = &h.role { " " span.role { (r) } }
                        }
                    }
                }
            }
            article.text id="text" {
                h1 { (s.title.clone().unwrap_or_else(|| s.file.clone())) }
                p.meta {
                    @if let Some(r) = &s.region {
                        @if stored {
                            a href={ "/region?" (query(&[("region", s.region_code.as_deref().unwrap_or(r))])) } { (r) }
                        } @else { (r) }
                    }
                    @if let Some(l) = &s.level { " · " (l) }
                    @if let Some(y) = s.plan_year { " · plan year " (y) }
                    @if let Some(y) = s.review_year { " · review year " (y) }
                    @if let Some(m) = &doc.meeting { " · " (m) }
                    @if let Some(sp) = &doc.speaker { " · " (opt(&doc.speaker_title)) " " (sp) }
                    @if let Some(dt) = &s.date { " · " (dt) }
                    " · " span.file { (s.file) "#" (s.part) }
                }
                p.legend {
                    span.fig.k-actual { "actual " (counts("actual")) }
                    " "
                    span.fig.k-estimate { "estimate " (counts("estimate")) }
                    " "
                    span.fig.k-target { "target " (counts("target")) }
                    " "
                    span.fig.k-forecast { "forecast " (counts("forecast")) }
                    @if stored { " · a figure links to its place in the original file" }
                }
                @for p in &paras {
                    @let anchor = p.section.as_ref().filter(|sid| anchored.insert((*sid).clone()));
                    p id=[p.passage.map(|i| format!("p{i}"))] class=[p.role.as_deref()] {
                        @if let Some(sid) = anchor { span.anchor id={ "s-" (sid) } {} }
                        @for piece in &p.pieces {
                            @let text = doc.text.get(piece.bytes.clone()).unwrap_or_default();
                            @match piece.figure.and_then(|i| d.facts.get(i)) {
                                Some(f) if stored => {
                                    a class={ "fig k-" (f.kind) } data-fact=(f.id) data-metric=[f.metric_id.as_deref()]
                                        title=(fact_title(f))
                                        href={ "/source/" (f.document_id) "?" (query(&[("start", &f.source_start.to_string()), ("end", &f.source_end.to_string())])) } { (text) }
                                }
                                Some(f) => {
                                    mark class={ "fig k-" (f.kind) } data-metric=[f.metric_id.as_deref()] title=(fact_title(f)) { (text) }
                                }
                                None => { (text) }
                            }
                        }
                    }
                }
            }
            aside.side {
                (targets_table(&d.targets))
                (commitments_table(&d.commitments))
            }
        }
    }
}

fn targets_table(targets: &[TargetRow]) -> Markup {
    html! {
        section id="targets" {
            h2 { "Targets " span.count { (targets.len()) } }
            @if targets.is_empty() { p.empty { "No targets." } } @else {
                table.rows {
                    thead { tr { th { "metric" } th { "figure" } th { "floor" } th { "stretch" } th { "wording" } th { "year" } } }
                    tbody {
                        @for t in targets {
                            @let figure = t.change_value.or(t.value);
                            @let unit = if t.change_type.is_some() { if t.change_type.as_deref() == Some("pp") { " pp" } else { "%" } } else { t.unit.as_deref().unwrap_or("") };
                            tr.target title=(t.evidence) {
                                td { (t.metric) @if let Some(id) = &t.metric_id { br; code { (id) } } }
                                td.num { (onum(figure)) (unit) " " span.cmp { (t.comparator) } }
                                td.num.floor { (onum(t.lo.or(if t.comparator == "at_least" || t.comparator == "about" || t.comparator == "exact" { figure } else { None }))) }
                                td.num.stretch { (onum(t.stretch.or(t.hi))) }
                                td { (t.wording) }
                                td.yr { (opt(&t.year)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn commitments_table(items: &[CommitmentRow]) -> Markup {
    html! {
        section id="commitments" {
            h2 { "民生实事 " span.count { (items.len()) } }
            @if items.is_empty() { p.empty { "No 民生实事 lists." } } @else {
                table.rows {
                    thead { tr { th { "stage" } th { "n/of" } th { "item" } } }
                    tbody {
                        @for c in items {
                            tr.commitment {
                                td { (c.stage) }
                                td.num { (opt(&c.idx)) "/" (opt(&c.announced)) }
                                td { (c.title.clone().unwrap_or_else(|| c.text.clone())) }
                            }
                        }
                    }
                }
            }
        }
    }
}

// ----------------------------------------------------------------- source

#[derive(Debug, Deserialize)]
struct SpanQuery {
    start: usize,
    end: usize,
}

async fn source(
    State(app): State<App>,
    api::Id(id): api::Id,
    api::Params(p): api::Params<SpanQuery>,
) -> PageResult {
    let v = crate::source::view(&app, id, p.start, p.end).await?;
    Ok(page(
        "Source",
        "library",
        html! {
            h1 { "Source" }
            p.meta { code { (v.path) } " · " (v.format) " · bytes " (p.start) "–" (p.end)
                @if v.layer == "text_layer" { " of the extracted text layer" } }
            p { a href={ "/doc/" (id) } { "Back to the document" } }
            pre.source { (v.before) mark.span { (v.span) } (v.after) }
        },
    ))
}

// ----------------------------------------------------------------- region

#[derive(Debug, Deserialize, Default)]
struct RegionParams {
    region: Option<String>,
    metric: Option<String>,
}

/// The regions of the store: (code or name, name), in code order.
async fn regions(app: &App) -> Result<Vec<(String, String)>, PageError> {
    Ok(app
        .pool
        .call(|s| {
            let mut stmt = s.connection().prepare_cached(
                "SELECT DISTINCT COALESCE(region_code, region), region FROM documents \
                 WHERE region IS NOT NULL ORDER BY 1 LIMIT 5000",
            )?;
            let rows = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        })
        .await?)
}

fn metric_select(chosen: &str) -> Markup {
    html! {
        select name="metric" {
            @for m in api::metric_list() {
                option value=(m.id) selected[m.id == chosen] { (m.name) " (" (m.id) ")" }
            }
        }
    }
}

/// The measure most of a metric's rows are in (the one the chart shows).
fn main_measure(rows: &[Tracked]) -> Option<String> {
    let mut n: BTreeMap<&str, usize> = BTreeMap::new();
    for r in rows {
        *n.entry(r.measure.as_str()).or_default() += 1;
    }
    n.into_iter()
        .max_by_key(|(m, c)| (*c, *m == "growth_pct"))
        .map(|(m, _)| m.to_string())
}

async fn region(State(app): State<App>, Query(p): Query<RegionParams>) -> PageResult {
    let regions = regions(&app).await?;
    let region = p
        .region
        .clone()
        .filter(|s| !s.is_empty())
        .or_else(|| regions.first().map(|r| r.0.clone()));
    let metric = p
        .metric
        .clone()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "gdp".into());
    let result = match &region {
        Some(r) => Some(api::track(&app, r.clone(), Some(&metric)).await?),
        None => None,
    };
    let rows: Vec<Tracked> = result.map(|r| r.rows).unwrap_or_default();
    let measure = main_measure(&rows);
    let charted: Vec<&Tracked> = rows
        .iter()
        .filter(|r| Some(&r.measure) == measure.as_ref())
        .collect();
    let chart = serde_json::json!({
        "kind": "track",
        "measure": measure,
        "years": charted.iter().map(|r| r.year).collect::<Vec<_>>(),
        "floor": charted.iter().map(|r| r.target).collect::<Vec<_>>(),
        "upper": charted.iter().map(|r| r.stretch.or(r.target_hi).unwrap_or(r.target)).collect::<Vec<_>>(),
        "met": charted.iter().map(|r| (r.verdict == Verdict::Met).then_some(r.outcome).flatten()).collect::<Vec<_>>(),
        "missed": charted.iter().map(|r| (r.verdict == Verdict::Missed).then_some(r.outcome).flatten()).collect::<Vec<_>>(),
    });
    let region_name = region.as_ref().map(|r| {
        regions
            .iter()
            .find(|x| &x.0 == r)
            .map_or(r.clone(), |x| x.1.clone())
    });
    Ok(page(
        "Region",
        "region",
        html! {
            h1 { "Targets and outcomes" @if let Some(n) = &region_name { " · " (n) } }
            form.filters method="get" action="/region" {
                label { "Region "
                    select name="region" {
                        @for (key, name) in &regions {
                            option value=(key) selected[Some(key) == region.as_ref()] { (name) " " (key) }
                        }
                    }
                }
                label { "Metric " (metric_select(&metric)) }
                button type="submit" { "Show" }
            }
            @if rows.is_empty() {
                p.empty { "No target of this metric with a year in this region's reports." }
            } @else {
                p.summary { (rows.len()) " targets · chart: " (measure.clone().unwrap_or_default()) " (band: floor to stretch or upper end; points: outcomes, met ● / missed ●)" }
                div.chart id="chart" data-chart="track" {}
                script type="application/json" id="chart-data" { (script_json(&chart)) }
                (tracked_table(&rows))
            }
        },
    ))
}

fn tracked_table(rows: &[Tracked]) -> Markup {
    html! {
        table.rows id="tracking" {
            thead { tr { th { "year" } th { "measure" } th { "target" } th { "stretch / upper" } th { "outcome" } th { "verdict" } th { "gap" } th { "target evidence" } th { "outcome evidence" } } }
            tbody {
                @for r in rows {
                    tr class={ "v-" (verdict_name(r.verdict)) } {
                        td { (r.year) }
                        td { (r.measure) }
                        td.num { (num(r.target)) " " span.cmp { (r.comparator) } }
                        td.num { (onum(r.stretch.or(r.target_hi))) }
                        td.num { (onum(r.outcome)) @if let Some(k) = r.outcome_kind { " " span.cmp { (kind_name(k)) } } }
                        td { (verdict_name(r.verdict)) }
                        td.num { (onum(r.gap)) }
                        td.ev { (r.target_evidence) }
                        td.ev { (opt(&r.outcome_evidence)) }
                    }
                }
            }
        }
    }
}

fn verdict_name(v: Verdict) -> &'static str {
    match v {
        Verdict::Met => "met",
        Verdict::Missed => "missed",
        Verdict::NoOutcome => "no_outcome",
    }
}

fn kind_name(k: gwr_engine::Kind) -> &'static str {
    match k {
        gwr_engine::Kind::Actual => "actual",
        gwr_engine::Kind::Estimate => "estimate",
        gwr_engine::Kind::Target => "target",
        gwr_engine::Kind::Forecast => "forecast",
    }
}

// ---------------------------------------------------------------- compare

#[derive(Debug, Deserialize, Default)]
struct CompareParams {
    metric: Option<String>,
    year: Option<String>,
    kind: Option<String>,
}

/// The number a comparison row shows: its change when it has one, else its
/// level.
fn compared_value(r: &Compared) -> Option<f64> {
    r.change.as_ref().and_then(|c| c.value.or(c.lo)).or(r.value)
}

async fn compare(State(app): State<App>, Query(p): Query<CompareParams>) -> PageResult {
    let metric = p
        .metric
        .clone()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "gdp".into());
    let years: Vec<i64> = app
        .pool
        .call(|s| {
            let mut stmt = s.connection().prepare_cached(
                "SELECT DISTINCT year FROM facts WHERE year IS NOT NULL AND metric_id IS NOT NULL \
                 ORDER BY year DESC LIMIT 200",
            )?;
            let v = stmt
                .query_map([], |r| r.get(0))?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(v)
        })
        .await?;
    let year: Option<i32> = match p.year.as_deref().filter(|s| !s.is_empty()) {
        Some(y) => Some(
            y.trim()
                .parse()
                .map_err(|_| ApiError::bad_request(format!("year {y:?} is not a year")))?,
        ),
        None => years.first().map(|y| *y as i32),
    };
    let kind = p.kind.clone().filter(|s| !s.is_empty());
    let mut rows = match year {
        Some(y) => api::compared(&app, &metric, y, kind.clone()).await?,
        None => Vec::new(),
    };
    rows.sort_by(|a, b| {
        compared_value(b)
            .unwrap_or(f64::NEG_INFINITY)
            .total_cmp(&compared_value(a).unwrap_or(f64::NEG_INFINITY))
    });
    let shown: Vec<&Compared> = rows
        .iter()
        .filter(|r| compared_value(r).is_some())
        .collect();
    let chart = serde_json::json!({
        "kind": "bars",
        "labels": shown.iter().map(|r| format!("{} {}", r.region.clone().unwrap_or_default(), kind_name(r.kind))).collect::<Vec<_>>(),
        "values": shown.iter().map(|r| compared_value(r)).collect::<Vec<_>>(),
    });
    let kinds = ["actual", "estimate", "target", "forecast"];
    Ok(page(
        "Compare",
        "compare",
        html! {
            h1 { "Compare regions" }
            form.filters method="get" action="/compare" {
                label { "Metric " (metric_select(&metric)) }
                label { "Year "
                    select name="year" {
                        @for y in &years { option value=(y) selected[Some(*y as i32) == year] { (y) } }
                    }
                }
                label { "Kind "
                    select name="kind" {
                        option value="" { "any" }
                        @for k in kinds { option value=(k) selected[kind.as_deref() == Some(k)] { (k) } }
                    }
                }
                button type="submit" { "Compare" }
            }
            @if rows.is_empty() {
                p.empty { "No region states this metric for this year." }
            } @else {
                p.summary { (rows.len()) " rows, sorted by the figure (growth when stated, else level)" }
                div.chart id="chart" data-chart="bars" {}
                script type="application/json" id="chart-data" { (script_json(&chart)) }
                table.rows id="comparison" {
                    thead { tr { th { "region" } th { "level" } th { "kind" } th { "value" } th { "change" } th { "evidence" } } }
                    tbody {
                        @for r in &rows {
                            tr {
                                td { (opt(&r.region)) }
                                td { (opt(&r.level)) }
                                td { (kind_name(r.kind)) }
                                td.num { (onum(r.value)) (opt(&r.unit)) }
                                td.num { @if let Some(c) = &r.change { (onum(c.value.or(c.lo))) } }
                                td.ev { (r.evidence) }
                            }
                        }
                    }
                }
            }
        },
    ))
}

// ----------------------------------------------------------------- search

#[derive(Debug, Deserialize, Default)]
struct SearchPage {
    q: Option<String>,
    region: Option<String>,
    year: Option<String>,
    role: Option<String>,
    #[serde(rename = "type")]
    doc_type: Option<String>,
}

fn snippet(h: &Hit) -> Markup {
    let chars: Vec<char> = h.text.chars().collect();
    let mut pos = 0usize;
    let mut parts: Vec<(String, bool)> = Vec::new();
    for m in &h.marks {
        let (s, e) = (m[0].min(chars.len()), m[1].min(chars.len()));
        if s < pos || e < s {
            continue;
        }
        parts.push((chars[pos..s].iter().collect(), false));
        parts.push((chars[s..e].iter().collect(), true));
        pos = e;
    }
    parts.push((chars[pos..].iter().collect(), false));
    html! {
        @for (t, marked) in parts {
            @if marked { mark { (t) } } @else { (t) }
        }
    }
}

async fn search(State(app): State<App>, Query(p): Query<SearchPage>) -> PageResult {
    let q = p.q.clone().unwrap_or_default();
    let year = match p.year.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(y) => Some(
            y.parse()
                .map_err(|_| ApiError::bad_request(format!("year {y:?} is not a year")))?,
        ),
        None => None,
    };
    let hits = if q.trim().is_empty() {
        None
    } else {
        Some(
            api::searched(
                &app,
                SearchParams {
                    q: q.clone(),
                    region: p.region.clone(),
                    year,
                    role: p.role.clone(),
                    doc_type: p.doc_type.clone(),
                    limit: Some(50),
                },
            )
            .await?,
        )
    };
    let roles = [
        "review",
        "problems",
        "guidance",
        "targets",
        "tasks",
        "livelihood_projects",
        "self_building",
        "closing",
    ];
    let types = [
        "government_work_report",
        "party_committee_report",
        "glossary",
        "other",
    ];
    Ok(page(
        "Search",
        "search",
        html! {
            h1 { "Search" }
            form.filters.search method="get" action="/search" {
                input.q type="search" name="q" value=(q) placeholder="营商环境 \"最多跑一次\"" autofocus;
                label { "Region " input name="region" value=(opt(&p.region)) placeholder="name or code" size="10"; }
                label { "Year " input name="year" value=(opt(&p.year)) size="5"; }
                label { "Role "
                    select name="role" {
                        option value="" { "any" }
                        @for r in roles { option value=(r) selected[p.role.as_deref() == Some(r)] { (r) } }
                    }
                }
                label { "Type "
                    select name="type" {
                        option value="" { "any" }
                        @for t in types { option value=(t) selected[p.doc_type.as_deref() == Some(t)] { (t) } }
                    }
                }
                button type="submit" { "Search" }
            }
            @match &hits {
                None => { p.hint { "Terms are cut into words as the reports are; quotes keep a phrase." } }
                Some(h) if h.is_empty() => { p.empty { "No passages match." } }
                Some(h) => {
                    p.summary { (h.len()) " passages" }
                    ol.hits id="hits" {
                        @for hit in h {
                            li.hit {
                                a.open href={ "/doc/" (hit.document_id) "#p" (hit.passage_id) } {
                                    (opt(&hit.region)) " " (opt(&hit.plan_year)) " · " (hit.file) "#" (hit.part)
                                }
                                " " span.role { (opt(&hit.role)) }
                                " " span.score { @if hit.matched == "word" { (format!("{:.2}", hit.score)) } @else { "substring" } }
                                p.snippet { (snippet(hit)) }
                            }
                        }
                    }
                }
            }
        },
    ))
}

// ------------------------------------------------------------ open a file

fn open_page(body: Markup, limit: usize) -> Markup {
    page(
        "Open a file",
        "open",
        html! {
            h1 { "Open a file" }
            p { "Read a report file (text, HTML, DOCX or PDF; at most " (limit >> 20) " MB) without adding it to the store." }
            form.upload id="upload" method="post" action="/open" enctype="multipart/form-data" {
                label.drop id="drop" {
                    "Drop a file here or choose one "
                    input type="file" name="file" id="file";
                }
                button type="submit" { "Open" }
            }
            (body)
        },
    )
}

async fn open_form(State(app): State<App>) -> Markup {
    open_page(html! {}, app.limits.upload_bytes)
}

async fn open_file(State(app): State<App>, mut form: Multipart) -> PageResult {
    let mut upload: Option<(String, Vec<u8>)> = None;
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| ApiError::new(e.status(), e.body_text()))?
    {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("upload.txt").to_string();
            let bytes = field
                .bytes()
                .await
                .map_err(|e| ApiError::new(e.status(), e.body_text()))?;
            upload = Some((name, bytes.to_vec()));
            break;
        }
    }
    let Some((name, bytes)) = upload else {
        return Err(ApiError::bad_request("no file was sent (field \"file\")").into());
    };
    let opened = api::open_file(&app, name, bytes).await?;
    Ok(open_page(
        html! {
            h2 { (opened.name) " · " (opened.documents.len()) " documents" }
            @for d in &opened.documents { (reader_body(d, false)) }
        },
        app.limits.upload_bytes,
    ))
}

/// Render a page's status for tests of escaping.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_json_cannot_close_its_script() {
        let s = script_json(&serde_json::json!({"label": "</script><script>alert(1)</script>&"}));
        assert!(!s.0.contains('<') && !s.0.contains('>') && !s.0.contains('&'));
        let back: serde_json::Value = serde_json::from_str(&s.0).unwrap_or_default();
        assert_eq!(back["label"], "</script><script>alert(1)</script>&");
    }

    #[test]
    fn query_strings_are_encoded() {
        assert_eq!(
            query(&[("region", "上城区"), ("metric", "")]),
            "region=%E4%B8%8A%E5%9F%8E%E5%8C%BA"
        );
        assert_eq!(query(&[("q", "a&b=c")]), "q=a%26b%3Dc");
    }

    #[test]
    fn numbers_read_as_written() {
        assert_eq!(num(5.0), "5");
        assert_eq!(num(5.5), "5.5");
        assert_eq!(num(0.123456), "0.1235");
    }
}
