//! [`Format`]: the seed's `bus_data_format`, and the serde codec behind each one served.

use super::Error;
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasix_sys::BusDataFormat;

/// How a payload is encoded: the seed's `bus_data_format`.
///
/// Served (each behind the crate feature of the same name, all on by default): [`Bincode`](Format::Bincode)
/// (the `bincode` 1.x crate, its default options), [`MessagePack`](Format::MessagePack) (`rmp-serde`,
/// structs as maps), [`Json`](Format::Json) (`serde_json`), [`Yaml`](Format::Yaml) (`serde_norway`).
/// [`Raw`](Format::Raw) is bytes as they are ([`Process::call_raw`](super::Process::call_raw),
/// [`Server::handle_raw`](super::Server::handle_raw)); a typed value cannot be raw. [`Xml`](Format::Xml) and
/// [`Rkyv`](Format::Rkyv) are refused with [`Error::UNSUPPORTED`]: no serde codec for XML keeps every serde
/// value, and rkyv is not serde.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Format {
    /// Bytes as they are.
    Raw,
    /// bincode 1.x.
    #[default]
    Bincode,
    /// MessagePack.
    MessagePack,
    /// JSON.
    Json,
    /// YAML.
    Yaml,
    /// XML (refused).
    Xml,
    /// rkyv (refused).
    Rkyv,
}

impl Format {
    /// The raw value.
    pub fn raw(self) -> BusDataFormat {
        match self {
            Format::Raw => BusDataFormat::RAW,
            Format::Bincode => BusDataFormat::BINCODE,
            Format::MessagePack => BusDataFormat::MESSAGE_PACK,
            Format::Json => BusDataFormat::JSON,
            Format::Yaml => BusDataFormat::YAML,
            Format::Xml => BusDataFormat::XML,
            Format::Rkyv => BusDataFormat::RKYV,
        }
    }

    /// The format of a raw value; `None` for one the seed does not define.
    pub fn from_raw(raw: BusDataFormat) -> Option<Format> {
        Some(match raw {
            BusDataFormat::RAW => Format::Raw,
            BusDataFormat::BINCODE => Format::Bincode,
            BusDataFormat::MESSAGE_PACK => Format::MessagePack,
            BusDataFormat::JSON => Format::Json,
            BusDataFormat::YAML => Format::Yaml,
            BusDataFormat::XML => Format::Xml,
            BusDataFormat::RKYV => Format::Rkyv,
            _ => return None,
        })
    }

    /// Encodes `value`: [`Error::SERIALIZATION`] if the codec fails, [`Error::UNSUPPORTED`] for a format
    /// not served.
    pub fn encode<T: Serialize + ?Sized>(self, value: &T) -> Result<Vec<u8>, Error> {
        match self {
            #[cfg(feature = "bincode")]
            Format::Bincode => bincode::serialize(value).map_err(|_| Error::SERIALIZATION),
            #[cfg(feature = "message-pack")]
            Format::MessagePack => rmp_serde::to_vec_named(value).map_err(|_| Error::SERIALIZATION),
            #[cfg(feature = "json")]
            Format::Json => serde_json::to_vec(value).map_err(|_| Error::SERIALIZATION),
            #[cfg(feature = "yaml")]
            Format::Yaml => serde_norway::to_string(value).map(String::into_bytes).map_err(|_| Error::SERIALIZATION),
            _ => {
                let _ = value;
                Err(Error::UNSUPPORTED)
            }
        }
    }

    /// Decodes a `T`: [`Error::DESERIALIZATION`] if the bytes are not one, [`Error::UNSUPPORTED`] for a
    /// format not served.
    pub fn decode<T: DeserializeOwned>(self, bytes: &[u8]) -> Result<T, Error> {
        match self {
            #[cfg(feature = "bincode")]
            Format::Bincode => bincode::deserialize(bytes).map_err(|_| Error::DESERIALIZATION),
            #[cfg(feature = "message-pack")]
            Format::MessagePack => rmp_serde::from_slice(bytes).map_err(|_| Error::DESERIALIZATION),
            #[cfg(feature = "json")]
            Format::Json => serde_json::from_slice(bytes).map_err(|_| Error::DESERIALIZATION),
            #[cfg(feature = "yaml")]
            Format::Yaml => serde_norway::from_slice(bytes).map_err(|_| Error::DESERIALIZATION),
            _ => {
                let _ = bytes;
                Err(Error::UNSUPPORTED)
            }
        }
    }
}
