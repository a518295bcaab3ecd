// Package recording reads and writes recorded HTTP exchanges, one JSON file
// per exchange, and serves them back from an httptest server.
//
// The same format holds the providers' golden-test inputs under
// testdata/<provider>/ and what an example program's -record DIR captures
// from a run (files named <provider>-<n>-<method>-<path>.json), so a live
// recording becomes a golden test by copying the file: the golden tests
// replay every recording in the directory, whatever its name. Every secret
// is scrubbed before a byte is written, and the origin of the recorded
// server is replaced by the placeholder Origin, which the replay server
// swaps for its own URL; two recordings of the same answers are therefore
// the same bytes whatever the server's address.
package recording
