package widget_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/calldash/calldash"
	"github.com/calldash/calldash/sqlgen"
	"github.com/calldash/calldash/widget"
)

// FuzzDecode feeds arbitrary bytes to Decode and, when they decode, to
// Preview over a few calls. Properties: no panic; an error is always a
// list of path-carrying errors whose hosted-API body is valid JSON; the
// statement of every dialect stays under StatementBound of the input.
func FuzzDecode(f *testing.F) {
	files, _ := filepath.Glob("../testdata/widget/*.json")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		var fx struct {
			Widget json.RawMessage `json:"widget"`
		}
		if json.Unmarshal(data, &fx) == nil {
			f.Add([]byte(fx.Widget))
		}
	}
	hostile, _ := filepath.Glob("../testdata/hostile/*.json")
	for _, file := range hostile {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	now := time.Date(2025, 11, 28, 18, 0, 0, 0, time.UTC)
	calls := randomCalls(3, 60)
	opts := []widget.Option{widget.WithNow(now), widget.WithMaxBuckets(500), metrics()}
	f.Fuzz(func(t *testing.T, data []byte) {
		spec, err := widget.Decode(data)
		if err == nil {
			checkStatementSize(t, spec, data, opts)
			_, err = widget.Preview(context.Background(), spec, widget.Calls(calls), opts...)
			if err == nil {
				return
			}
		}
		var list calldash.ErrorList
		var one *calldash.Error
		if !errors.As(err, &list) && !errors.As(err, &one) {
			t.Fatalf("error without a path: %v", err)
		}
		if body := widget.ErrorBody(err); !json.Valid(body) {
			t.Fatalf("ErrorBody is not JSON: %s", body)
		}
	})
}

// checkStatementSize compiles spec for every dialect and fails t when a
// statement outgrows StatementBound(input).
func checkStatementSize(t *testing.T, spec *widget.Spec, input []byte, opts []widget.Option) {
	for _, d := range sqlDialects {
		text, args, err := widget.Statement(spec, d, sqlgen.DefaultLayout(""), opts...)
		if err != nil {
			continue
		}
		if n, max := statementSize(text, args), StatementBound(input); n > max {
			t.Fatalf("%s: a statement of %d bytes for %d bytes of input; the bound is %d", d.Name(), n, len(input), max)
		}
	}
}

// TestMaxBucketsBoundary checks the bucket cap at its value: exactly the
// cap is allowed, one more is an error naming the limit.
func TestMaxBucketsBoundary(t *testing.T) {
	now := time.Date(2025, 11, 28, 0, 0, 0, 0, time.UTC)
	w := []byte(`{"chart_type":"bar","field":"duration","time_period":"day","filters":{"field":"timestamp","op":"gte","value":"2025-11-18"}}`)
	spec, err := widget.Decode(w)
	if err != nil {
		t.Fatal(err)
	}
	// 2025-11-18 .. 2025-11-28 00:00 (now, inclusive) overlaps 11 day buckets.
	if _, err := widget.Preview(context.Background(), spec, widget.Calls(nil), widget.WithNow(now), widget.WithMaxBuckets(11)); err != nil {
		t.Fatalf("11 buckets with a cap of 11: %v", err)
	}
	_, err = widget.Preview(context.Background(), spec, widget.Calls(nil), widget.WithNow(now), widget.WithMaxBuckets(10))
	if !errors.Is(err, calldash.ErrTooManyBuckets) {
		t.Fatalf("11 buckets with a cap of 10: got %v, want ErrTooManyBuckets", err)
	}
	// Without gap filling, the cap applies to the buckets that hold data.
	calls := []calldash.Call{{ID: 1, Timestamp: now.Add(-30 * time.Hour)}, {ID: 2, Timestamp: now.Add(-2 * time.Hour)}}
	if _, err := widget.Preview(context.Background(), spec, widget.Calls(calls), widget.WithNow(now), widget.WithGapFill(false), widget.WithMaxBuckets(2)); err != nil {
		t.Fatalf("2 data buckets with a cap of 2: %v", err)
	}
	_, err = widget.Preview(context.Background(), spec, widget.Calls(calls), widget.WithNow(now), widget.WithGapFill(false), widget.WithMaxBuckets(1))
	if !errors.Is(err, calldash.ErrTooManyBuckets) {
		t.Fatalf("2 data buckets with a cap of 1: got %v, want ErrTooManyBuckets", err)
	}
}
