// Package recording reads and writes recorded HTTP exchanges, one JSON file
// per exchange, and serves them back from an httptest server.
//
// The same format holds the providers' golden-test inputs under
// testdata/<provider>/ and what `examples/orgs -record DIR` captures from a
// live run, so a live recording can become a golden test by copying files.
// Every secret is scrubbed before a byte is written, and the origin of the
// recorded server is replaced by the placeholder Origin, which the replay
// server swaps for its own URL.
package recording
