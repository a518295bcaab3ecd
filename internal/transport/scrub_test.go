package transport

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"runtime"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/internal/bound"
)

// The scrubber before issue 19.5, kept as the reference the new one must
// agree with byte for byte: it built a decoded view with two int arrays
// the size of the text (where each view byte came from), for each of the
// two readings of "+". A 4 MiB message with escapes allocated about
// 170 MiB.

func refScrub(s *Secrets, text string) string {
	if s == nil || text == "" {
		return text
	}
	forms, _ := s.snapshot()
	if len(forms) == 0 {
		return text
	}
	var spans []span
	spans = refFindForms(spans, text, nil, nil, forms)
	if strings.ContainsAny(text, `%\+`) {
		for _, plusIsSpace := range []bool{false, true} {
			view, starts, ends := refDecodeEscapes(text, plusIsSpace)
			spans = refFindForms(spans, view, starts, ends, forms)
		}
	}
	if len(spans) == 0 {
		return text
	}
	slices.SortFunc(spans, func(a, b span) int { return a.start - b.start })
	var b strings.Builder
	last := 0
	for _, sp := range spans {
		if sp.end <= last {
			continue
		}
		if sp.start >= last {
			b.WriteString(text[last:sp.start])
			b.WriteString(Redacted)
		}
		last = sp.end
	}
	b.WriteString(text[last:])
	return b.String()
}

func refFindForms(spans []span, view string, starts, ends []int, forms []string) []span {
	for _, f := range forms {
		for off := 0; off < len(view); {
			i := strings.Index(view[off:], f)
			if i < 0 {
				break
			}
			lo, hi := off+i, off+i+len(f)
			if starts != nil {
				spans = append(spans, span{start: starts[lo], end: ends[hi-1]})
			} else {
				spans = append(spans, span{start: lo, end: hi})
			}
			off = hi
		}
	}
	return spans
}

func refDecodeEscapes(text string, plusIsSpace bool) (string, []int, []int) {
	view := make([]byte, 0, len(text))
	starts := make([]int, 0, len(text))
	ends := make([]int, 0, len(text))
	emit := func(bs []byte, from, to int) {
		for _, c := range bs {
			view = append(view, c)
			starts = append(starts, from)
			ends = append(ends, to)
		}
	}
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == '%' && i+2 < len(text) && isHex(text[i+1]) && isHex(text[i+2]):
			emit([]byte{unhex(text[i+1])<<4 | unhex(text[i+2])}, i, i+3)
			i += 3
			continue
		case c == '+' && plusIsSpace:
			emit([]byte{' '}, i, i+1)
			i++
			continue
		case c == '\\' && i+1 < len(text):
			switch text[i+1] {
			case '/', '"', '\\':
				emit([]byte{text[i+1]}, i, i+2)
				i += 2
				continue
			case 'u':
				if r, ok := hex4(text, i+2); ok {
					n := 6
					if utf16.IsSurrogate(r) {
						if i+7 < len(text) && text[i+6] == '\\' && text[i+7] == 'u' {
							if r2, ok := hex4(text, i+8); ok {
								r = utf16.DecodeRune(r, r2)
								n = 12
							}
						}
					}
					emit(utf8.AppendRune(nil, r), i, i+n)
					i += n
					continue
				}
			}
		}
		emit([]byte{c}, i, i+1)
		i++
	}
	return string(view), starts, ends
}

// encodings are the spellings a fuzzed secret is embedded in.
func encodings(secret string) []string {
	j, _ := json.Marshal(secret)
	js := strings.Trim(string(j), `"`)
	return []string{
		secret, url.QueryEscape(secret), url.PathEscape(secret), strings.ToLower(url.QueryEscape(secret)),
		js, strings.ReplaceAll(js, "/", `\/`), strings.ReplaceAll(js, "+", `\u002B`),
		base64.StdEncoding.EncodeToString([]byte(secret)), url.QueryEscape(base64.URLEncoding.EncodeToString([]byte(secret))),
	}
}

// FuzzScrubMatchesReference: the scrubber finds exactly what the old one
// found, for any secret and any text, and never leaves the secret in any
// spelling it embedded.
func FuzzScrubMatchesReference(f *testing.F) {
	f.Add("p/ss+wörd \"q\"", `{"e":"p\u002fss%2Fx\/y\ud83d\ude00+%"}`, uint8(3))
	f.Add("ab%2Fcd/ef+gh", `x ab\u00252Fcd/ef+gh y`, uint8(0))
	f.Add("s3cr3t/+x", `%`, uint8(1))
	f.Add("😀 emoji", `\ud83d\ude00+emoji\u`, uint8(4))
	f.Add("aaaa", "aaaaaaaa%61aaa+a", uint8(2))
	f.Fuzz(func(t *testing.T, secret, text string, form uint8) {
		var s Secrets
		s.Add(secret, "s3cr3t/+x")
		encs := encodings(secret)
		for _, in := range []string{text, text + encs[int(form)%len(encs)] + text} {
			got, want := s.Scrub(in), refScrub(&s, in)
			if got != want {
				t.Fatalf("Scrub(%q) with secret %q = %q, the reference says %q", in, secret, got, want)
			}
			if !strings.Contains(in, Redacted) && s.Holds(in) != (want != in) {
				t.Fatalf("Holds(%q) with secret %q = %v, but the reference scrub gives %q", in, secret, s.Holds(in), want)
			}
		}
		if len(secret) >= minSecretLen && !strings.Contains(text, Redacted) {
			out := s.Scrub("<" + encs[int(form)%len(encs)] + ">")
			if strings.Contains(out, secret) {
				t.Fatalf("secret %q survived in %q", secret, out)
			}
		}
	})
}

// FuzzBound: Bound keeps its size, shows its cut, and never keeps what the
// whole-text scrub removes; within the bound it is the whole-text scrub.
func FuzzBound(f *testing.F) {
	f.Add("s3cr3t-value", "prefix s3cr3t-value suffix", 10)
	f.Add("s3cr3t-value", strings.Repeat("s3cr3t-value", 40)+"s3cr3t-va", 200)
	f.Add("p/ss", `{"token":"abc`, 5)
	f.Fuzz(func(t *testing.T, secret, text string, n int) {
		n = len(bound.Mark) + abs(n)%600
		var s Secrets
		s.Add(secret)
		got := s.Bound(text, n)
		if len(got) > n {
			t.Fatalf("Bound(%q, %d) = %q: %d bytes", text, n, got, len(got))
		}
		whole := s.Redact(text)
		if (len(whole) <= n && len(text) <= n || !strings.HasSuffix(got, bound.Mark)) && got != whole {
			t.Fatalf("Bound(%q, %d) = %q, want the whole scrub %q (or a cut with the mark)", text, n, got, whole)
		}
		if len(secret) >= minSecretLen && strings.Contains(got, secret) && !strings.Contains(whole, secret) {
			t.Fatalf("Bound(%q, %d) = %q keeps the secret", text, n, got)
		}
	})
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func TestBound(t *testing.T) {
	t.Parallel()
	const secret = "0123456789abcdef-secret-value"
	var s Secrets
	s.Add(secret)
	t.Run("short text is scrubbed whole", func(t *testing.T) {
		assert.Equal(t, "bad REDACTED here", s.Bound("bad "+url.QueryEscape(secret)+" here", 256))
	})
	t.Run("long text is cut with the mark", func(t *testing.T) {
		got := s.Bound(strings.Repeat("m", 8<<20), 256)
		assert.Len(t, got, 256)
		assert.True(t, strings.HasSuffix(got, bound.Mark))
	})
	t.Run("a secret across the cut", func(t *testing.T) {
		for cut := 1; cut < len(secret); cut++ {
			got := s.Bound(strings.Repeat("x", 100-cut)+secret+strings.Repeat("y", 50), 100)
			assert.LessOrEqual(t, len(got), 100)
			assert.NotContains(t, got, secret[:min(cut, len(secret))], "cut %d", cut)
		}
	})
	t.Run("replacements before the window's end do not pull a cut secret in", func(t *testing.T) {
		// Ninety secrets shrink to REDACTED each, and a last one is cut by
		// the window: none of it may reach the kept prefix.
		text := strings.Repeat(secret, 90) + secret[:20]
		got := s.Bound(text, 1024)
		assert.NotContains(t, got, secret[:8])
	})
	t.Run("a generic rule's value running past the window", func(t *testing.T) {
		got := s.Bound(`{"password":"`+strings.Repeat("s", 8000), 256)
		assert.NotContains(t, got, "ssss")
	})
	t.Run("invalid UTF-8 is not split further", func(t *testing.T) {
		got := s.Bound(strings.Repeat("é", 500), 100)
		assert.True(t, utf8.ValidString(got))
	})
}

func TestHolds(t *testing.T) {
	// Not parallel: AllocsPerRun.
	const secret = "s3cr3t/T0ken+x"
	var s Secrets
	s.Add(secret)
	s.Add("QSDK " + secret)
	for _, in := range []string{secret, "/p/" + url.PathEscape(secret) + "/", "?next=" + url.QueryEscape(secret),
		"x" + base64.RawURLEncoding.EncodeToString([]byte(secret)), base64.StdEncoding.EncodeToString([]byte(secret)),
		base64.URLEncoding.EncodeToString([]byte("QSDK " + secret)), `QSDK s3cr3t\/T0ken\u002bx`} {
		assert.True(t, s.Holds(in), in)
		assert.NotEqual(t, in, s.Scrub(in), "what Holds sees, Scrub replaces: %s", in)
	}
	assert.False(t, s.Holds("/api/v2/orgs/?fields=id%2Cname&q=a+b"))
	assert.False(t, (*Secrets)(nil).Holds(secret))
	allocs := testing.AllocsPerRun(100, func() { s.Holds("/api/v2/orgs/?fields=id%2Cname&q=a+b") })
	assert.Zero(t, allocs, "the per-call check of a short URL allocates nothing")
}

// escapedMessage is n bytes of an error message a server JSON- and
// URL-escaped throughout, with the secret once near its end.
func escapedMessage(n int, secret string) string {
	unit := `bad value \u0022x\u0022 at %2Fpath+more\/ `
	var b strings.Builder
	for b.Len() < n-len(secret)-8 {
		b.WriteString(unit)
	}
	b.WriteString(url.QueryEscape(secret))
	return b.String()
}

// TestScrubMemory: scrubbing costs at most about twice the bytes it reads
// (issue 19.5: a 4 MiB message with escapes allocated 168–176 MiB).
func TestScrubMemory(t *testing.T) {
	// Not parallel: it reads the process's allocation counter.
	const secret = "s3cr3t/T0ken+x"
	var s Secrets
	s.Add(secret)
	msg := escapedMessage(4<<20, secret)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	out := s.Scrub(msg)
	runtime.ReadMemStats(&after)
	require.NotContains(t, out, url.QueryEscape(secret))
	used := after.TotalAlloc - before.TotalAlloc
	assert.LessOrEqual(t, used, uint64(2*len(msg)+(64<<10)), "allocated %d bytes scrubbing %d", used, len(msg))
}

// BenchmarkScrub reports the bytes allocated per byte scanned, for a
// message with and without escapes, next to the old scrubber. The bounded
// form (what every error field uses) scans only its window of an 8 MiB
// message.
func BenchmarkScrub(b *testing.B) {
	const secret, plainSecret = "s3cr3t/T0ken+x", "plainSecretValue42"
	var s Secrets
	s.Add(secret, plainSecret)
	const size = 1 << 20
	plain := strings.Repeat("plain error text without escapes ", size/33) + plainSecret
	escaped := escapedMessage(size, secret)
	run := func(name string, text string, scanned int, scrub func(string) string) {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(scanned))
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			for b.Loop() {
				_ = scrub(text)
			}
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/float64(scanned), "alloc/scanned")
		})
	}
	ref := func(text string) string { return refScrub(&s, text) }
	run("plain/reference", plain, len(plain), ref)
	run("plain/scrub", plain, len(plain), s.Scrub)
	run("escaped/reference", escaped, len(escaped), ref)
	run("escaped/scrub", escaped, len(escaped), s.Scrub)
	huge := escapedMessage(8<<20, secret)
	window := bound.Field + s.margin()
	run("escaped 8MiB/bound 256", huge, window, func(text string) string { return s.Bound(text, bound.Field) })
}
