//! [`ParamList`]: the references to every param that one optimizer step
//! needs together (to run the update of all of them in one parallel region,
//! [`super::pass::EveryParam`]), in a vector whose capacity is kept between
//! steps so that the steady state does not allocate. Between steps it holds
//! no reference at all.

use crate::layers::Param;

#[derive(Default)]
pub struct ParamList(Vec<&'static mut Param>);

impl ParamList {
    /// The kept (empty) vector, for references that live as long as `'a`.
    pub fn take<'a>(&mut self) -> Vec<&'a mut Param> {
        let v = std::mem::take(&mut self.0);
        debug_assert!(v.is_empty());
        // SAFETY: the vector is empty (`give_back` clears it), and the two
        // types differ only in a lifetime: same layout, no reference kept.
        unsafe { std::mem::transmute::<Vec<&'static mut Param>, Vec<&'a mut Param>>(v) }
    }

    /// Keep `v`'s capacity for the next step (its references are dropped).
    pub fn give_back(&mut self, mut v: Vec<&mut Param>) {
        v.clear();
        // SAFETY: as in `take`: empty, and only the lifetime differs.
        self.0 = unsafe { std::mem::transmute::<Vec<&mut Param>, Vec<&'static mut Param>>(v) };
    }
}

/// A copy of an optimizer has a list of its own (empty: it holds nothing between steps).
impl Clone for ParamList {
    fn clone(&self) -> ParamList {
        ParamList::default()
    }
}

impl std::fmt::Debug for ParamList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ParamList")
    }
}
