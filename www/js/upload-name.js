// The name of the user's uploaded data, `upload:<file>@<sha256-12>` with, for
// a CSV file, how it was read: `upload:iris.csv@ab12cd34ef56(header=true,label=species)`
// (the core's crate/src/data/upload_name.rs and csv_link.rs define and check it;
// these helpers only take it apart for messages and storage keys). Pure module:
// the page (upload.js), the worker (worker-upload.js) and node tests import it.

export const isUploadName = (name) => typeof name === 'string' && name.startsWith('upload:');

/** {file, hash, options} of an upload name (options: the text in parentheses, '' when none). */
export function uploadParts(name) {
  const at = name.indexOf('@');   // a file name has no '@'; a quoted option may
  const options = name.slice(at + 13);
  return { file: name.slice(7, at), hash: name.slice(at + 1, at + 13), options: options.slice(1, -1) };
}

/** `upload:<file>@<hash>`: the file's bytes, whatever the options (the IndexedDB key). */
export const uploadBase = (name) => name.slice(0, name.indexOf('@') + 13);
