//! `wasix::bus`: formats and topic hashes everywhere; the calls themselves in `sim` (a bus process is a
//! program from the simulator's registry, and Wasmer 7.4.2 has no bus).

use wasix::bus::{topic, Error, Format};

#[cfg(not(target_family = "wasm"))]
mod sim;

#[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq, Clone)]
pub struct Sample {
    pub id: u64,
    pub name: String,
    pub tags: Vec<String>,
}

fn sample() -> Sample {
    Sample { id: 7, name: "seven".into(), tags: vec!["a".into(), "b".into()] }
}

/// The formats a typed call can use.
pub const SERVED: [Format; 4] = [Format::Bincode, Format::MessagePack, Format::Json, Format::Yaml];

#[test]
fn every_served_format_round_trips_a_value() {
    for format in SERVED {
        let bytes = format.encode(&sample()).unwrap();
        assert_eq!(format.decode::<Sample>(&bytes).unwrap(), sample(), "{format:?}");
        assert_eq!(Format::from_raw(format.raw()), Some(format));
    }
}

#[test]
fn xml_rkyv_and_raw_are_refused_for_typed_values() {
    for format in [Format::Xml, Format::Rkyv, Format::Raw] {
        assert_eq!(format.encode(&sample()).unwrap_err(), Error::UNSUPPORTED, "{format:?}");
        assert_eq!(format.decode::<Sample>(b"x").unwrap_err(), Error::UNSUPPORTED, "{format:?}");
    }
}

#[test]
fn bytes_that_are_not_the_type_do_not_decode() {
    for format in SERVED {
        assert_eq!(format.decode::<Sample>(b"\xff\xfe not it").unwrap_err(), Error::DESERIALIZATION, "{format:?}");
    }
}

#[test]
fn topic_hashes_are_stable() {
    // FNV-1a 128 of "echo": fixed forever, both sides compute it.
    let h = topic("echo");
    assert_eq!((u128::from(h.b1) << 64) | u128::from(h.b0), 0x6951b3a6c4757277b806e96d1c26072c);
    assert_ne!(topic("echo"), topic("echo2"));
}
