//! Compressed answers (brotli or gzip) for clients that ask in `Accept-Encoding`: GraphQL answers,
//! GraphiQL's assets and CSV downloads, which shrink three to ten times.
//!
//! poem's `Compression` middleware is not used: it also inflates compressed request bodies (a
//! small upload could become a large one), compresses answers without a body (304) and says
//! nothing in `Vary`, so a cache could hand a compressed answer to a client that cannot read it.

use poem::{
    Endpoint, IntoResponse, Request, Response, Result,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    web::{Compress, CompressionAlgo, CompressionLevel},
};

/// Brotli's and gzip's middle level: most of the gain for a fraction of the best level's time (an
/// answer is compressed on every request).
const LEVEL: CompressionLevel = CompressionLevel::Precise(5);

/// The route's endpoint, its successful answers compressed as the client prefers.
pub async fn negotiated<E: Endpoint>(next: E, request: Request) -> Result<Response> {
    let algorithm = preferred(request.headers());
    let mut response = next.call(request).await?.into_response();
    response.headers_mut().append(header::VARY, HeaderValue::from_static("accept-encoding"));
    let compressible = response.status() == StatusCode::OK
        && !response.headers().contains_key(header::CONTENT_ENCODING)
        && !response.headers().contains_key(header::CONTENT_RANGE);
    Ok(match algorithm {
        Some(algorithm) if compressible => {
            Compress::new(response, algorithm).with_quality(LEVEL).into_response()
        }
        _ => response,
    })
}

/// The coding the client weighs highest among brotli and gzip (brotli on a tie); none when it
/// names neither, or refuses both with `q=0`.
pub fn preferred(headers: &HeaderMap) -> Option<CompressionAlgo> {
    let mut best: Option<(u16, CompressionAlgo)> = None;
    let listed = headers.get_all(header::ACCEPT_ENCODING).into_iter().filter_map(|v| v.to_str().ok());
    for coding in listed.flat_map(|value| value.split(',')) {
        let mut parts = coding.split(';').map(str::trim);
        let name = parts.next().unwrap_or_default();
        let algorithm = if name.eq_ignore_ascii_case("br") {
            CompressionAlgo::BR
        } else if name.eq_ignore_ascii_case("gzip") || name.eq_ignore_ascii_case("x-gzip") {
            CompressionAlgo::GZIP
        } else {
            continue;
        };
        let weight = parts
            .find_map(|param| param.strip_prefix("q=").or_else(|| param.strip_prefix("Q=")))
            .map_or(Some(1000), |q| {
                q.trim().parse::<f32>().ok().map(|q| (q.clamp(0.0, 1.0) * 1000.0) as u16)
            });
        let Some(weight) = weight.filter(|weight| *weight > 0) else { continue };
        let better = match best {
            None => true,
            Some((held, held_algorithm)) => {
                weight > held
                    || (weight == held && algorithm == CompressionAlgo::BR && held_algorithm != algorithm)
            }
        };
        if better {
            best = Some((weight, algorithm));
        }
    }
    best.map(|(_, algorithm)| algorithm)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepting(value: &str) -> Option<CompressionAlgo> {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(value).unwrap());
        preferred(&headers)
    }

    #[test]
    fn the_client_s_weights_choose_and_brotli_wins_a_tie() {
        assert_eq!(accepting("gzip, deflate, br, zstd"), Some(CompressionAlgo::BR));
        assert_eq!(accepting("gzip"), Some(CompressionAlgo::GZIP));
        assert_eq!(accepting("br;q=0.5, gzip;q=0.8"), Some(CompressionAlgo::GZIP));
        assert_eq!(accepting("identity"), None);
        assert_eq!(accepting("gzip;q=0, br;q=0"), None);
        assert_eq!(accepting("br;q=0, gzip"), Some(CompressionAlgo::GZIP));
        assert_eq!(preferred(&HeaderMap::new()), None);
    }
}
