//! PostgreSQL's binary `COPY` format, read tuple by tuple as its bytes arrive
//! (<https://www.postgresql.org/docs/15/sql-copy.html#id-1.9.3.55.9.4>): a signature, a header,
//! then per tuple a 16-bit field count and per field a 32-bit length (-1 for NULL) and its bytes,
//! and a count of -1 at the end. Written here because sqlx hands over `COPY`'s raw bytes and the
//! one crate that reads the format (`postgres-binary-copy`) is tied to tokio-postgres's client.

const SIGNATURE: &[u8] = b"PGCOPY\n\xff\r\n\0";

#[derive(Debug, thiserror::Error)]
#[error("malformed binary COPY data: {0}")]
pub struct Malformed(pub &'static str);

/// Bytes in, whole tuples out; a tuple split across messages waits for the rest.
#[derive(Default)]
pub struct Decoder {
    pending: Vec<u8>,
    header_read: bool,
    ended: bool,
    /// Each field of the tuple being handed out, as a range of `pending` (reused, not reallocated).
    fields: Vec<Option<(usize, usize)>>,
}

impl Decoder {
    pub fn push(&mut self, bytes: &[u8]) {
        self.pending.extend_from_slice(bytes);
    }

    /// Hands every complete tuple received so far to `tuple`, each field `None` for NULL.
    pub fn drain<E: From<Malformed>>(
        &mut self,
        mut tuple: impl FnMut(&[Option<&[u8]>]) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut at = 0;
        if !self.header_read {
            match header_length(&self.pending)? {
                Some(length) => at = length,
                None => return Ok(()),
            }
            self.header_read = true;
        }
        let mut slices: Vec<Option<&[u8]>> = Vec::new();
        while !self.ended {
            let Some((end, is_end_marker)) = tuple_at(&self.pending, at, &mut self.fields)? else { break };
            if is_end_marker {
                self.ended = true;
                at = end;
                break;
            }
            slices.clear();
            slices.extend(self.fields.iter().map(|field| field.map(|(from, to)| &self.pending[from..to])));
            tuple(&slices)?;
            at = end;
        }
        drop(slices);
        self.pending.drain(..at);
        Ok(())
    }

    /// Whether the end-of-data marker has arrived.
    pub fn ended(&self) -> bool {
        self.ended
    }
}

/// The tuple starting at `at`, if it has fully arrived: where it ends, and whether it is the end
/// marker. Its fields' ranges are left in `fields`.
fn tuple_at(
    bytes: &[u8],
    at: usize,
    fields: &mut Vec<Option<(usize, usize)>>,
) -> Result<Option<(usize, bool)>, Malformed> {
    let Some(count) = read_i16(bytes, at) else { return Ok(None) };
    if count == -1 {
        return Ok(Some((at + 2, true)));
    }
    let count = usize::try_from(count).map_err(|_| Malformed("negative field count"))?;
    fields.clear();
    let mut cursor = at + 2;
    for _ in 0..count {
        let Some(length) = read_i32(bytes, cursor) else { return Ok(None) };
        cursor += 4;
        if length == -1 {
            fields.push(None);
            continue;
        }
        let length = usize::try_from(length).map_err(|_| Malformed("negative field length"))?;
        if bytes.len() < cursor + length {
            return Ok(None);
        }
        fields.push(Some((cursor, cursor + length)));
        cursor += length;
    }
    Ok(Some((cursor, false)))
}

/// The header's length once it has fully arrived.
fn header_length(bytes: &[u8]) -> Result<Option<usize>, Malformed> {
    let fixed = SIGNATURE.len() + 8;
    if bytes.len() < fixed {
        return Ok(None);
    }
    if !bytes.starts_with(SIGNATURE) {
        return Err(Malformed("no PGCOPY signature"));
    }
    let extension = read_i32(bytes, SIGNATURE.len() + 4).unwrap_or_default();
    let extension = usize::try_from(extension).map_err(|_| Malformed("negative header extension"))?;
    Ok((bytes.len() >= fixed + extension).then_some(fixed + extension))
}

fn read_i16(bytes: &[u8], at: usize) -> Option<i16> {
    Some(i16::from_be_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

fn read_i32(bytes: &[u8], at: usize) -> Option<i32> {
    Some(i32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

/// A `timestamptz` field: microseconds since 2000-01-01 00:00:00 UTC, as whole Unix seconds
/// (rounded down, as RFC 3339 to the second writes it).
pub fn unix_seconds(field: &[u8]) -> Result<i64, Malformed> {
    const POSTGRES_EPOCH: i64 = 946_684_800;
    Ok(int8(field)?.div_euclid(1_000_000) + POSTGRES_EPOCH)
}

pub fn int8(field: &[u8]) -> Result<i64, Malformed> {
    Ok(i64::from_be_bytes(field.try_into().map_err(|_| Malformed("an int8 is not 8 bytes"))?))
}

pub fn int4(field: &[u8]) -> Result<i32, Malformed> {
    Ok(i32::from_be_bytes(field.try_into().map_err(|_| Malformed("an int4 is not 4 bytes"))?))
}

pub fn text(field: &[u8]) -> Result<&str, Malformed> {
    std::str::from_utf8(field).map_err(|_| Malformed("text that is not UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tuple(fields: &[Option<&[u8]>]) -> Vec<u8> {
        let mut bytes = (fields.len() as i16).to_be_bytes().to_vec();
        for field in fields {
            match field {
                Some(field) => {
                    bytes.extend((field.len() as i32).to_be_bytes());
                    bytes.extend(*field);
                }
                None => bytes.extend((-1i32).to_be_bytes()),
            }
        }
        bytes
    }

    #[test]
    fn tuples_split_anywhere_come_out_whole_and_in_order() {
        let mut data = SIGNATURE.to_vec();
        data.extend(0i32.to_be_bytes());
        data.extend(3i32.to_be_bytes());
        data.extend(b"ext");
        data.extend(tuple(&[Some(b"first"), None]));
        data.extend(tuple(&[Some(b""), Some(&7i64.to_be_bytes())]));
        data.extend((-1i16).to_be_bytes());
        for split in 1..data.len() {
            let mut decoder = Decoder::default();
            let mut seen: Vec<Vec<Option<Vec<u8>>>> = Vec::new();
            for part in [&data[..split], &data[split..]] {
                decoder.push(part);
                decoder
                    .drain(|fields| {
                        seen.push(fields.iter().map(|f| f.map(<[u8]>::to_vec)).collect());
                        Ok::<_, Malformed>(())
                    })
                    .unwrap();
            }
            assert!(decoder.ended(), "split at {split}");
            assert_eq!(
                seen,
                vec![
                    vec![Some(b"first".to_vec()), None],
                    vec![Some(vec![]), Some(7i64.to_be_bytes().to_vec())]
                ],
                "split at {split}"
            );
        }
    }

    #[test]
    fn refuses_what_is_not_binary_copy() {
        let mut decoder = Decoder::default();
        decoder.push(b"call_id,started_at\nx,y\n");
        assert!(decoder.drain(|_| Ok::<_, Malformed>(())).is_err());
    }

    #[test]
    fn timestamps_round_down_to_the_second_on_both_sides_of_the_epochs() {
        assert_eq!(unix_seconds(&0i64.to_be_bytes()).unwrap(), 946_684_800);
        assert_eq!(unix_seconds(&1_999_999i64.to_be_bytes()).unwrap(), 946_684_801);
        assert_eq!(unix_seconds(&(-1i64).to_be_bytes()).unwrap(), 946_684_799);
    }
}
