package orgs

import "strconv"

// parseIntID reads the canonical decimal form of a positive integer id
// (R-Service's and Commvault's): no sign, no leading zero, no space, so
// one organization has exactly one ID and "06" is not a second name for
// "6".
//
// bits is the size of the provider's integer type (64, or strconv.IntSize
// for an int): a larger number cannot be an id of it.
func parseIntID(provider, id string, bits int) (int64, error) {
	n, err := strconv.ParseInt(id, 10, bits)
	if err != nil || n <= 0 || strconv.FormatInt(n, 10) != id {
		return 0, argumentError(provider, "id %q is not a %s organization id (want a positive integer in decimal, such as \"6\")", id, provider)
	}
	return n, nil
}

// intID is the canonical text form of an integer id.
func intID(n int64) string { return strconv.FormatInt(n, 10) }

// ptr returns a pointer to a copy of v.
func ptr[T any](v T) *T { return &v }
