//! Who is on the other end of a request, for throttling and the log: never a header anyone can
//! forge, unless a trusted proxy put it there.

use std::net::IpAddr;

use poem::Request;

/// Who is on the other end: the TCP peer, or, when that peer is a trusted proxy, the nearest
/// address in `X-Forwarded-For` that is not one of ours (the ones to its left could be forged).
pub fn client_address(request: &Request, trusted: &[IpAddr]) -> Option<IpAddr> {
    let peer = request.remote_addr().as_socket_addr().map(|addr| addr.ip())?;
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let hops: Vec<IpAddr> = request
        .headers()
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map_while(|hop| hop.trim().parse().ok())
        .collect();
    Some(hops.into_iter().rev().find(|hop| !trusted.contains(hop)).unwrap_or(peer))
}
