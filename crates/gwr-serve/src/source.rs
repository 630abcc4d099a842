//! A span of a document's original file: the file is read again from the
//! path it was ingested from (only if its contents still hash to the
//! stored hash) and the span shown with the text around it. Text and HTML
//! spans are bytes of the file, decoded with its encoding; DOCX and PDF
//! spans are offsets into the extracted text layer.

use crate::App;
use crate::api::{ApiError, SourceView};
use axum::http::StatusCode;
use gwr_store::StoreError;

/// Characters shown on each side of the span.
const CONTEXT_CHARS: usize = 300;
/// Largest file read again.
const MAX_FILE_BYTES: u64 = 64 << 20;

pub(crate) async fn view(
    app: &App,
    id: i64,
    start: usize,
    end: usize,
) -> Result<SourceView, ApiError> {
    if end < start || end - start > 1 << 20 {
        return Err(ApiError::bad_request(
            "start..end is not a span of at most 1 MB",
        ));
    }
    let row = app
        .pool
        .call(move |s| {
            let mut stmt = s.connection().prepare_cached(
                "SELECT f.path, f.format, f.encoding, f.hash FROM documents d \
                 JOIN files f ON f.id = d.file_id WHERE d.id = ?1",
            )?;
            let mut rows = stmt.query([id])?;
            match rows.next()? {
                Some(r) => Ok(Some((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))),
                None => Ok::<_, StoreError>(None),
            }
        })
        .await?;
    let Some((path, format, encoding, hash)): Option<(String, String, String, String)> = row else {
        return Err(ApiError::not_found(format!("no document {id}")));
    };
    tokio::task::spawn_blocking(move || read(path, format, encoding, hash, start, end))
        .await
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?
}

fn read(
    path: String,
    format: String,
    encoding: String,
    hash: String,
    start: usize,
    end: usize,
) -> Result<SourceView, ApiError> {
    let gone = || ApiError::not_found(format!("the original file is no longer at {path}"));
    let meta = std::fs::metadata(&path).map_err(|_| gone())?;
    if !meta.is_file() || meta.len() > MAX_FILE_BYTES {
        return Err(gone());
    }
    let bytes = std::fs::read(&path).map_err(|_| gone())?;
    if gwr_store::content_hash(&bytes) != hash {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            format!("the file at {path} has changed since it was ingested"),
        ));
    }
    let (layer, before, span, after) = if format == "docx" || format == "pdf" {
        let prepared = gwr_text::prepare_named(&path, &bytes)
            .map_err(|e| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, format!("{path}: {e}")))?;
        let layer = prepared.extracted.unwrap_or(prepared.text);
        let (Some(b), Some(s), Some(a)) =
            (layer.get(..start), layer.get(start..end), layer.get(end..))
        else {
            return Err(ApiError::bad_request(
                "the span is not in the file's text layer",
            ));
        };
        ("text_layer", b.to_string(), s.to_string(), a.to_string())
    } else {
        if end > bytes.len() {
            return Err(ApiError::bad_request(
                "the span is past the end of the file",
            ));
        }
        let enc =
            encoding_rs::Encoding::for_label(encoding.as_bytes()).unwrap_or(encoding_rs::UTF_8);
        let from = start.saturating_sub(CONTEXT_CHARS * 4);
        let to = (end + CONTEXT_CHARS * 4).min(bytes.len());
        let decode = |b: &[u8]| enc.decode_without_bom_handling(b).0.into_owned();
        (
            "file",
            decode(&bytes[from..start]),
            decode(&bytes[start..end]),
            decode(&bytes[end..to]),
        )
    };
    let skip = before.chars().count().saturating_sub(CONTEXT_CHARS);
    Ok(SourceView {
        path,
        format,
        layer: layer.to_string(),
        before: before
            .chars()
            .skip(skip)
            .collect::<String>()
            .trim_start_matches('\u{fffd}')
            .to_string(),
        span,
        after: after
            .chars()
            .take(CONTEXT_CHARS)
            .collect::<String>()
            .trim_end_matches('\u{fffd}')
            .to_string(),
    })
}
