package benchpair

import (
	"errors"
	"strings"
	"testing"
)

func BenchmarkRunReportsRatio(b *testing.B) {
	var sink string
	Run(b,
		func() error { sink = strings.Repeat("x", 64); return nil },
		func() error { sink = strings.Repeat("x", 32); return nil },
	)
	_ = sink
}

func TestRunStopsOnError(t *testing.T) {
	t.Parallel()
	res := testing.Benchmark(func(b *testing.B) {
		Run(b, func() error { return errors.New("boom") }, func() error { return nil })
	})
	if res.N != 0 {
		t.Fatalf("a failing sdk function must stop the benchmark, ran %d", res.N)
	}
	res = testing.Benchmark(func(b *testing.B) {
		Run(b, func() error { return nil }, func() error { return nil })
	})
	if _, ok := res.Extra["sdk/raw"]; !ok {
		t.Fatalf("no sdk/raw metric in %v", res.Extra)
	}
}
