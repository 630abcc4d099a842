//! The JSON API, `/api/v1/…`. Every route reads the store through the pool
//! (read-only, under a time limit) or parses an uploaded file in memory;
//! errors are `{"error": {"status": …, "message": …}}` with the status
//! that fits. The OpenAPI description ([`ApiDoc`]) is generated from the
//! route and type annotations here and served at `/api/v1/openapi.json`.

use crate::App;
use crate::pool::CallError;
use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use gwr_engine::tracking::{Compared, Tracked};
use gwr_store::read::{
    CommitmentRow, DocumentDetail, DocumentSummary, FactRow, Heading, Page, Passage, TargetRow,
};
use gwr_store::{DocQuery, Hit, RowQuery, SearchFilter, StoreError};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

/// Most hits one search returns.
pub const MAX_HITS: usize = 100;

/// An API error: a status and a message a person can act on.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
}

/// The body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// The HTTP status code.
    pub status: u16,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }

    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                status: self.status.as_u16(),
                message: self.message,
            },
        };
        (self.status, Json(body)).into_response()
    }
}

impl From<CallError> for ApiError {
    fn from(e: CallError) -> ApiError {
        match e {
            CallError::TimedOut(t) => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                format!(
                    "the query ran past its time limit of {} s: narrow it",
                    t.as_secs_f64()
                ),
            ),
            CallError::Store(e) => store_error(e),
            CallError::Unavailable(m) => ApiError::new(StatusCode::SERVICE_UNAVAILABLE, m),
        }
    }
}

/// A store error: a bad query (SQL, search syntax) is the client's; a
/// damaged or missing store is the server's.
fn store_error(e: StoreError) -> ApiError {
    match e {
        StoreError::Sql(e) => ApiError::bad_request(format!("query failed: {e}")),
        StoreError::Other(m) => ApiError::bad_request(m),
        e => ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}

impl From<QueryRejection> for ApiError {
    fn from(e: QueryRejection) -> ApiError {
        ApiError::bad_request(e.body_text())
    }
}

impl From<PathRejection> for ApiError {
    fn from(e: PathRejection) -> ApiError {
        ApiError::bad_request(e.body_text())
    }
}

/// A numeric id in the path, with a JSON error when it is not one.
pub struct Id(pub i64);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Id {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        let Path(id) = Path::<i64>::from_request_parts(parts, state).await?;
        Ok(Id(id))
    }
}

impl From<JsonRejection> for ApiError {
    fn from(e: JsonRejection) -> ApiError {
        ApiError::new(e.status(), e.body_text())
    }
}

/// Query parameters, with a JSON error when they do not parse.
pub struct Params<T>(pub T);

impl<T, S> axum::extract::FromRequestParts<S> for Params<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        let Query(v) = Query::<T>::from_request_parts(parts, state).await?;
        Ok(Params(v))
    }
}

pub(crate) fn routes() -> Router<App> {
    Router::new()
        .route("/openapi.json", get(openapi))
        .route("/documents", get(documents))
        .route("/documents/{id}", get(document))
        .route("/documents/{id}/source", get(source))
        .route("/facts", get(facts))
        .route("/targets", get(targets))
        .route("/commitments", get(commitments))
        .route("/tracking", get(tracking))
        .route("/compare", get(compare))
        .route("/search", get(search))
        .route("/sql", get(sql_get).post(sql_post))
        .route("/export", get(export))
        .route("/parse", axum::routing::post(parse))
        .route("/metrics", get(metrics))
        .fallback(|| async { ApiError::not_found("no such API route (see /api/v1/openapi.json)") })
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "gwr",
        description = "Government work reports as data: documents, facts, targets, commitments, tracking, comparison, search and read-only SQL over a gwr corpus store."
    ),
    paths(
        documents, document, source, facts, targets, commitments, tracking, compare, search,
        sql_get, sql_post, export, parse, metrics
    ),
    components(schemas(
        ErrorBody, ErrorDetail, DocumentSummary, DocumentDetail, Heading, Passage, FactRow,
        TargetRow, CommitmentRow, Hit, Tracked, Compared, SqlResult, SqlRequest, TrackingResult,
        OpenedFile, OpenedDocument, SourceView, MetricInfo, Page<DocumentSummary>,
        Page<FactRow>, Page<TargetRow>, Page<CommitmentRow>
    ))
)]
pub struct ApiDoc;

async fn openapi() -> Response {
    let mut r = Json(ApiDoc::openapi()).into_response();
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    r
}

/// Filters of `/documents`.
#[derive(Debug, Deserialize, IntoParams)]
pub struct DocParams {
    /// Region name (上城区) or GB/T 2260 code (330102).
    pub region: Option<String>,
    /// national, province, city or county.
    pub level: Option<String>,
    /// Plan year of the report.
    pub year: Option<i32>,
    /// Document type: government_work_report, plenary_report, glossary, other, …
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub doc_type: Option<String>,
    /// Rows per page (at most 1000).
    pub limit: Option<usize>,
    pub offset: Option<usize>,
}

/// Documents, ordered by region and plan year, with counts of their facts,
/// targets and commitments.
#[utoipa::path(get, path = "/api/v1/documents", params(DocParams),
    responses((status = 200, body = Page<DocumentSummary>), (status = 400, body = ErrorBody)))]
async fn documents(
    State(app): State<App>,
    Params(p): Params<DocParams>,
) -> Result<Json<Page<DocumentSummary>>, ApiError> {
    let q = DocQuery {
        region: p.region,
        level: p.level,
        year: p.year,
        doc_type: p.doc_type,
        limit: p.limit.unwrap_or(100),
        offset: p.offset.unwrap_or(0),
    };
    Ok(Json(app.pool.call(move |s| s.documents(&q)).await?))
}

/// One document: metadata, outline, paragraphs and text.
#[utoipa::path(get, path = "/api/v1/documents/{id}", params(("id" = i64, Path, description = "Document id")),
    responses((status = 200, body = DocumentDetail), (status = 404, body = ErrorBody)))]
async fn document(State(app): State<App>, Id(id): Id) -> Result<Json<DocumentDetail>, ApiError> {
    match app.pool.call(move |s| s.document(id)).await? {
        Some(d) => Ok(Json(d)),
        None => Err(ApiError::not_found(format!("no document {id}"))),
    }
}

/// A span of the original file.
#[derive(Debug, Deserialize, IntoParams)]
pub struct SpanParams {
    /// Byte offset where the span starts in the source (a fact's `source_start`).
    pub start: usize,
    /// Byte offset where it ends (`source_end`).
    pub end: usize,
}

/// A span of a document's original file with the text around it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SourceView {
    pub path: String,
    pub format: String,
    /// `file` (bytes of the file, decoded) or `text_layer` (DOCX, PDF).
    pub layer: String,
    pub before: String,
    pub span: String,
    pub after: String,
}

/// The original file at a source span (read from the path it was ingested
/// from, which must still hold the same file).
#[utoipa::path(get, path = "/api/v1/documents/{id}/source",
    params(("id" = i64, Path, description = "Document id"), SpanParams),
    responses((status = 200, body = SourceView), (status = 404, body = ErrorBody)))]
async fn source(
    State(app): State<App>,
    Id(id): Id,
    Params(p): Params<SpanParams>,
) -> Result<Json<SourceView>, ApiError> {
    Ok(Json(crate::source::view(&app, id, p.start, p.end).await?))
}

/// Filters of `/facts` and `/targets`, as `gwr facts` takes them.
#[derive(Debug, Deserialize, IntoParams)]
pub struct RowParams {
    /// Metric ids or names, separated by commas (gdp, 一般公共预算收入).
    pub metric: Option<String>,
    /// actual, estimate, target or forecast.
    pub kind: Option<String>,
    /// The year the figure is about.
    pub year: Option<i32>,
    /// Region name or GB/T 2260 code.
    pub region: Option<String>,
    /// Only this document.
    pub document: Option<i64>,
    /// Rows per page (at most 1000).
    pub limit: Option<usize>,
    pub offset: Option<usize>,
}

/// Metric ids of a comma-separated list of ids or names; an unknown one is
/// a 400 with suggestions.
pub(crate) fn metric_ids(given: Option<&str>) -> Result<Vec<String>, ApiError> {
    let table = gwr_engine::MetricTable::builtin();
    let mut ids = Vec::new();
    for g in given.unwrap_or_default().split([',', '，']).map(str::trim) {
        if g.is_empty() {
            continue;
        }
        match table.resolve(g) {
            Ok(v) => ids.extend(v),
            Err(near) if near.is_empty() => {
                return Err(ApiError::bad_request(format!(
                    "no metric {g:?} (see /api/v1/metrics)"
                )));
            }
            Err(near) => {
                return Err(ApiError::bad_request(format!(
                    "no metric {g:?}; did you mean {}?",
                    near.join(", ")
                )));
            }
        }
    }
    Ok(ids)
}

fn kind_of(k: Option<String>) -> Result<Option<String>, ApiError> {
    match k.as_deref() {
        None | Some("") => Ok(None),
        Some("actual" | "estimate" | "target" | "forecast") => Ok(k),
        Some(other) => Err(ApiError::bad_request(format!(
            "kind must be actual, estimate, target or forecast, not {other:?}"
        ))),
    }
}

fn row_query(p: RowParams) -> Result<RowQuery, ApiError> {
    Ok(RowQuery {
        document: p.document,
        metrics: metric_ids(p.metric.as_deref())?,
        kind: kind_of(p.kind)?,
        year: p.year,
        region: p.region.filter(|r| !r.is_empty()),
        limit: p.limit.unwrap_or(100),
        offset: p.offset.unwrap_or(0),
    })
}

/// Facts: every figure with its metric, kind, year, value and evidence.
#[utoipa::path(get, path = "/api/v1/facts", params(RowParams),
    responses((status = 200, body = Page<FactRow>), (status = 400, body = ErrorBody)))]
async fn facts(
    State(app): State<App>,
    Params(p): Params<RowParams>,
) -> Result<Json<Page<FactRow>>, ApiError> {
    let q = row_query(p)?;
    Ok(Json(app.pool.call(move |s| s.facts(&q)).await?))
}

/// Targets: goals with comparator, floor, stretch and wording.
#[utoipa::path(get, path = "/api/v1/targets", params(RowParams),
    responses((status = 200, body = Page<TargetRow>), (status = 400, body = ErrorBody)))]
async fn targets(
    State(app): State<App>,
    Params(p): Params<RowParams>,
) -> Result<Json<Page<TargetRow>>, ApiError> {
    let q = row_query(p)?;
    Ok(Json(app.pool.call(move |s| s.targets(&q)).await?))
}

/// Filters of `/commitments`.
#[derive(Debug, Deserialize, IntoParams)]
pub struct CommitmentParams {
    /// Region name or GB/T 2260 code.
    pub region: Option<String>,
    /// Plan year of the report.
    pub year: Option<i32>,
    /// Only this document.
    pub document: Option<i64>,
    pub limit: Option<usize>,
    pub offset: Option<usize>,
}

/// 民生实事 lists and completion statements.
#[utoipa::path(get, path = "/api/v1/commitments", params(CommitmentParams),
    responses((status = 200, body = Page<CommitmentRow>), (status = 400, body = ErrorBody)))]
async fn commitments(
    State(app): State<App>,
    Params(p): Params<CommitmentParams>,
) -> Result<Json<Page<CommitmentRow>>, ApiError> {
    let q = RowQuery {
        document: p.document,
        year: p.year,
        region: p.region.filter(|r| !r.is_empty()),
        limit: p.limit.unwrap_or(100),
        offset: p.offset.unwrap_or(0),
        ..RowQuery::default()
    };
    Ok(Json(app.pool.call(move |s| s.commitments(&q)).await?))
}

/// Filters of `/tracking`.
#[derive(Debug, Deserialize, IntoParams)]
pub struct TrackingParams {
    /// Region name or GB/T 2260 code.
    pub region: String,
    /// Metric ids or names, separated by commas (all headline metrics when absent).
    pub metric: Option<String>,
}

/// A region's targets against the outcomes its later reports state.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TrackingResult {
    pub rows: Vec<Tracked>,
    /// More facts matched than one analysis reads: the rows may be partial.
    pub truncated: bool,
}

/// Targets and outcomes of a region over the years (as `gwr track`).
#[utoipa::path(get, path = "/api/v1/tracking", params(TrackingParams),
    responses((status = 200, body = TrackingResult), (status = 400, body = ErrorBody)))]
async fn tracking(
    State(app): State<App>,
    Params(p): Params<TrackingParams>,
) -> Result<Json<TrackingResult>, ApiError> {
    Ok(Json(track(&app, p.region, p.metric.as_deref()).await?))
}

pub(crate) async fn track(
    app: &App,
    region: String,
    metric: Option<&str>,
) -> Result<TrackingResult, ApiError> {
    if region.trim().is_empty() {
        return Err(ApiError::bad_request("region is required"));
    }
    let q = RowQuery {
        metrics: metric_ids(metric)?,
        region: Some(region),
        ..RowQuery::default()
    };
    let (facts, truncated) = app.pool.call(move |s| s.fact_records(&q)).await?;
    let facts: Vec<_> = facts
        .into_iter()
        .filter(|f| f.metric_id.is_some())
        .collect();
    Ok(TrackingResult {
        rows: gwr_engine::tracking::track(&facts),
        truncated,
    })
}

/// Filters of `/compare`.
#[derive(Debug, Deserialize, IntoParams)]
pub struct CompareParams {
    /// A metric id or name.
    pub metric: String,
    /// The year the figures are about.
    pub year: i32,
    /// actual, estimate, target or forecast.
    pub kind: Option<String>,
}

/// One metric and year across regions (as `gwr compare`).
#[utoipa::path(get, path = "/api/v1/compare", params(CompareParams),
    responses((status = 200, body = Vec<Compared>), (status = 400, body = ErrorBody)))]
async fn compare(
    State(app): State<App>,
    Params(p): Params<CompareParams>,
) -> Result<Json<Vec<Compared>>, ApiError> {
    Ok(Json(compared(&app, &p.metric, p.year, p.kind).await?))
}

pub(crate) async fn compared(
    app: &App,
    metric: &str,
    year: i32,
    kind: Option<String>,
) -> Result<Vec<Compared>, ApiError> {
    let ids = metric_ids(Some(metric))?;
    let Some(id) = ids.first().cloned() else {
        return Err(ApiError::bad_request("metric is required"));
    };
    let kind = kind_of(kind)?;
    let q = RowQuery {
        metrics: vec![id.clone()],
        year: Some(year),
        kind: kind.clone(),
        ..RowQuery::default()
    };
    let (facts, _) = app.pool.call(move |s| s.fact_records(&q)).await?;
    let kind = kind.and_then(|k| serde_json::from_value(serde_json::Value::String(k)).ok());
    Ok(gwr_engine::tracking::compare(&facts, &id, year, kind))
}

/// Filters of `/search`.
#[derive(Debug, Deserialize, IntoParams)]
pub struct SearchParams {
    /// Terms separated by spaces; quotes keep a phrase ("推进 最多跑一次 改革").
    pub q: String,
    /// Region name or GB/T 2260 code.
    pub region: Option<String>,
    /// Plan year of the report.
    pub year: Option<i32>,
    /// Section role: review, targets, tasks, livelihood_projects, …
    pub role: Option<String>,
    /// Document type.
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub doc_type: Option<String>,
    /// Hits (at most 100; default 20).
    pub limit: Option<usize>,
}

/// Ranked passages (the engine and ranking of `gwr search`), with snippets.
#[utoipa::path(get, path = "/api/v1/search", params(SearchParams),
    responses((status = 200, body = Vec<Hit>), (status = 400, body = ErrorBody)))]
async fn search(
    State(app): State<App>,
    Params(p): Params<SearchParams>,
) -> Result<Json<Vec<Hit>>, ApiError> {
    Ok(Json(searched(&app, p).await?))
}

pub(crate) async fn searched(app: &App, p: SearchParams) -> Result<Vec<Hit>, ApiError> {
    let empty = |s: Option<String>| s.filter(|v| !v.trim().is_empty());
    let filter = SearchFilter {
        region: empty(p.region),
        year: p.year,
        role: empty(p.role),
        doc_type: empty(p.doc_type),
    };
    let limit = p.limit.unwrap_or(20).min(MAX_HITS);
    let q = p.q;
    Ok(app.pool.call(move |s| s.search(&q, &filter, limit)).await?)
}

/// A read-only SQL query.
#[derive(Debug, Deserialize, ToSchema, IntoParams)]
pub struct SqlRequest {
    /// One read-only statement (SELECT …).
    pub q: String,
    /// Rows to return at most (capped by the server's limit, 10 000 by default).
    pub max_rows: Option<u64>,
}

/// Columns and rows of a query.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SqlResult {
    pub columns: Vec<String>,
    #[schema(value_type = Vec<Vec<Object>>)]
    pub rows: Vec<Vec<serde_json::Value>>,
    /// The result had more rows than were returned.
    pub truncated: bool,
}

/// Read-only SQL over the store (the guard of `gwr sql`), with a row cap
/// and a time limit.
#[utoipa::path(get, path = "/api/v1/sql", params(SqlRequest),
    responses((status = 200, body = SqlResult), (status = 400, body = ErrorBody), (status = 503, body = ErrorBody)))]
async fn sql_get(
    State(app): State<App>,
    Params(p): Params<SqlRequest>,
) -> Result<Json<SqlResult>, ApiError> {
    Ok(Json(sql(&app, p).await?))
}

/// Read-only SQL, the query in a JSON body.
#[utoipa::path(post, path = "/api/v1/sql", request_body = SqlRequest,
    responses((status = 200, body = SqlResult), (status = 400, body = ErrorBody), (status = 503, body = ErrorBody)))]
async fn sql_post(
    State(app): State<App>,
    body: Result<Json<SqlRequest>, JsonRejection>,
) -> Result<Json<SqlResult>, ApiError> {
    let Json(p) = body?;
    Ok(Json(sql(&app, p).await?))
}

async fn sql(app: &App, p: SqlRequest) -> Result<SqlResult, ApiError> {
    let cap = p
        .max_rows
        .unwrap_or(app.limits.sql_rows)
        .min(app.limits.sql_rows);
    let q = p.q;
    Ok(app
        .pool
        .call(move |s| {
            let mut columns = Vec::new();
            let mut rows = Vec::new();
            let mut truncated = false;
            s.query_rows(
                &q,
                |c| {
                    columns = c.to_vec();
                    Ok(())
                },
                |r| {
                    if rows.len() as u64 == cap {
                        truncated = true;
                        return Ok(false);
                    }
                    rows.push(r);
                    Ok(true)
                },
            )?;
            Ok(SqlResult {
                columns,
                rows,
                truncated,
            })
        })
        .await?)
}

/// A query result to download.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ExportParams {
    /// One read-only statement (SELECT …).
    pub q: String,
    /// csv (default) or parquet.
    pub format: Option<String>,
}

/// The result of a read-only query as a CSV or Parquet file (at most the
/// server's export row limit, 1 000 000 by default; the header
/// `x-gwr-truncated: true` says when rows were left out).
#[utoipa::path(get, path = "/api/v1/export", params(ExportParams),
    responses((status = 200, description = "CSV or Parquet file", content_type = "text/csv"),
        (status = 400, body = ErrorBody)))]
async fn export(
    State(app): State<App>,
    Params(p): Params<ExportParams>,
) -> Result<Response, ApiError> {
    let cap = app.limits.export_rows;
    let q = p.q;
    let (body, truncated, content_type, name) = match p.format.as_deref().unwrap_or("csv") {
        "csv" => {
            let (body, truncated) = app
                .pool
                .call(move |s| {
                    let w = std::cell::RefCell::new(csv::Writer::from_writer(Vec::new()));
                    let mut n = 0u64;
                    let mut truncated = false;
                    let csv_err = |e: csv::Error| StoreError::Other(format!("csv: {e}"));
                    s.query_rows(
                        &q,
                        |c| w.borrow_mut().write_record(c).map_err(csv_err),
                        |r| {
                            if n == cap {
                                truncated = true;
                                return Ok(false);
                            }
                            n += 1;
                            w.borrow_mut()
                                .write_record(r.iter().map(|v| match v {
                                    serde_json::Value::Null => String::new(),
                                    serde_json::Value::String(s) => s.clone(),
                                    v => v.to_string(),
                                }))
                                .map_err(csv_err)?;
                            Ok(true)
                        },
                    )?;
                    let body = w
                        .into_inner()
                        .into_inner()
                        .map_err(|e| StoreError::Other(format!("csv: {e}")))?;
                    Ok((body, truncated))
                })
                .await?;
            (body, truncated, "text/csv; charset=utf-8", "gwr-export.csv")
        }
        "parquet" => {
            let (body, truncated) = app
                .pool
                .call(move |s| {
                    let mut body = Vec::new();
                    let (_, more) = s.query_parquet(&q, cap, &mut body)?;
                    Ok((body, more))
                })
                .await?;
            (
                body,
                truncated,
                "application/vnd.apache.parquet",
                "gwr-export.parquet",
            )
        }
        other => {
            return Err(ApiError::bad_request(format!(
                "format must be csv or parquet, not {other:?}"
            )));
        }
    };
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        "x-gwr-truncated",
        HeaderValue::from_static(if truncated { "true" } else { "false" }),
    );
    Ok(r)
}

/// A file read without storing it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OpenedFile {
    pub name: String,
    pub documents: Vec<OpenedDocument>,
}

/// One document of an opened file with everything read from it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OpenedDocument {
    pub document: DocumentDetail,
    pub facts: Vec<FactRow>,
    pub targets: Vec<TargetRow>,
    pub commitments: Vec<CommitmentRow>,
}

/// Name of an uploaded file.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ParseParams {
    /// The file's name (its extension tells DOCX and PDF apart).
    pub name: Option<String>,
}

/// Parse a report file sent as the request body (at most the upload limit,
/// 16 MB by default) without storing it.
#[utoipa::path(post, path = "/api/v1/parse", params(ParseParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 200, body = OpenedFile), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn parse(
    State(app): State<App>,
    Params(p): Params<ParseParams>,
    body: Bytes,
) -> Result<Json<OpenedFile>, ApiError> {
    let name = p.name.unwrap_or_else(|| "upload.txt".into());
    Ok(Json(open_file(&app, name, body.to_vec()).await?))
}

/// Parse `bytes` into a store in memory and read it back as a stored file
/// is read, so an opened file shows exactly what ingesting it would give.
pub(crate) async fn open_file(
    app: &App,
    name: String,
    bytes: Vec<u8>,
) -> Result<OpenedFile, ApiError> {
    if bytes.len() > app.limits.upload_bytes {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "the file is {} bytes; at most {} are taken",
                bytes.len(),
                app.limits.upload_bytes
            ),
        ));
    }
    if bytes.is_empty() {
        return Err(ApiError::bad_request("the file is empty"));
    }
    let engine = app.engine.clone();
    let time = app.limits.parse_time;
    let shown = name.clone();
    let task = tokio::task::spawn_blocking(move || -> Result<OpenedFile, ApiError> {
        let budget = gwr_engine::Budget::timed(time);
        let file = engine
            .parse_bytes_within(&name, &bytes, &budget)
            .map_err(|e| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, format!("{name}: {e}")))?;
        let internal =
            |e: StoreError| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string());
        let mut store = gwr_store::Store::in_memory().map_err(internal)?;
        let hash = gwr_store::content_hash(&bytes);
        store
            .add(std::path::Path::new(&name), &hash, bytes.len(), &file)
            .map_err(internal)?;
        let ids = store.documents(&DocQuery::default()).map_err(internal)?;
        let mut documents = Vec::new();
        for d in ids.items {
            let Some(document) = store.document(d.id).map_err(internal)? else {
                continue;
            };
            let q = RowQuery {
                document: Some(d.id),
                ..RowQuery::default()
            };
            documents.push(OpenedDocument {
                document,
                facts: store
                    .facts_up_to(&q, crate::pages::READER_FACTS)
                    .map_err(internal)?
                    .items,
                targets: store.targets(&q).map_err(internal)?.items,
                commitments: store.commitments(&q).map_err(internal)?.items,
            });
        }
        Ok(OpenedFile { name, documents })
    });
    match tokio::time::timeout(time + std::time::Duration::from_secs(5), task).await {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => Err(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("{shown}: worker failed: {e}"),
        )),
        Err(_) => Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("{shown}: took longer than {} s", time.as_secs()),
        )),
    }
}

/// A headline metric.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MetricInfo {
    pub id: String,
    pub name: String,
    /// Every name reports use for it.
    pub names: Vec<String>,
}

/// The headline metrics (as `gwr metrics`).
#[utoipa::path(get, path = "/api/v1/metrics", responses((status = 200, body = Vec<MetricInfo>)))]
async fn metrics() -> Json<Vec<MetricInfo>> {
    Json(metric_list())
}

pub(crate) fn metric_list() -> Vec<MetricInfo> {
    let table = gwr_engine::MetricTable::builtin();
    table
        .metrics
        .iter()
        .map(|m| MetricInfo {
            id: m.id.clone(),
            name: m.name.clone(),
            names: table.names_of(&m.id),
        })
        .collect()
}
