//! IDX image and label files (MNIST's format): the first two bytes choose
//! where the input splits into an image file and a label file.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((head, rest)) = data.split_first_chunk::<2>() else {
        return;
    };
    let cut = usize::from(u16::from_le_bytes(*head)).min(rest.len());
    let (images, labels) = rest.split_at(cut);
    let _ = gradlab::data::parse_idx_images(images);
    let _ = gradlab::data::parse_idx_labels(labels);
    if let Ok(ds) = gradlab::data::dataset_from_idx("fuzz", images, labels) {
        ds.check().expect("a parsed IDX dataset passes its own check");
    }
});
