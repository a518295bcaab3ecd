package rservice

import "github.com/orgsdk/orgsdk"

// Optional is a field of a write: left out (the zero value), set to a
// value (Set), or cleared to JSON null (Null), so that a PATCH tells "leave
// alone" from "clear", which a pointer cannot. It is orgsdk.Optional, one
// type for every provider package.
type Optional[T any] = orgsdk.Optional[T]

// Set returns an Optional holding v.
func Set[T any](v T) Optional[T] { return orgsdk.Set(v) }

// Null returns an Optional that clears the field (sends null).
func Null[T any]() Optional[T] { return orgsdk.Null[T]() }
