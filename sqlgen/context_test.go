package sqlgen_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/calldash/calldash/dialect"
	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/sqlgen"
)

// countingCtx is a context whose Err is context.Canceled from its
// cancelAt-th call on (never when cancelAt is 0); it counts the calls.
type countingCtx struct {
	context.Context
	calls, cancelAt int
}

func (c *countingCtx) Err() error {
	c.calls++
	if c.cancelAt > 0 && c.calls >= c.cancelAt {
		return context.Canceled
	}
	return nil
}

// TestWhereContext: compiling a filter checks the context as it goes —
// more often the more conditions and in values there are — and once it
// is done returns its error, whichever check saw it first.
func TestWhereContext(t *testing.T) {
	long := strings.Repeat("ǅ", 100)
	var conds []string
	for i := range 20 {
		conds = append(conds, fmt.Sprintf(`{"field": "topic", "op": "contains", "value": "%s%d"}`, long, i))
	}
	conds = append(conds, `{"field": "metadata.region", "op": "in", "value": ["a", "b", "c", "d", "e", "f", "g", "h"]}`)
	n, err := filter.Validate([]byte(`{"operator": "or", "conditions": [`+strings.Join(conds, ", ")+`]}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range append(sqlDialects, dialect.ClickHouse) {
		count := &countingCtx{Context: context.Background()}
		if _, err := sqlgen.WhereContext(count, n, d, sqlgen.DefaultLayout(""), gdEnv); err != nil {
			t.Fatalf("%s: %v", d.Name(), err)
		}
		if min := 20 + 8; count.calls < min {
			t.Fatalf("%s: %d checks of the context for 21 conditions and 8 in values, want at least %d", d.Name(), count.calls, min)
		}
		for at := 1; at <= count.calls; at++ {
			ctx := &countingCtx{Context: context.Background(), cancelAt: at}
			w, err := sqlgen.WhereContext(ctx, n, d, sqlgen.DefaultLayout(""), gdEnv)
			if !errors.Is(err, context.Canceled) || w != nil {
				t.Fatalf("%s, cancelled at check %d: got %v, %v; want only context.Canceled", d.Name(), at, w, err)
			}
			if ctx.calls != at {
				t.Errorf("%s, cancelled at check %d: %d checks, want none after the cancellation", d.Name(), at, ctx.calls)
			}
		}
	}
}

// TestCompileContext: a widget compiled with a done context returns the
// context's error and no statement.
func TestCompileContext(t *testing.T) {
	n, err := filter.Validate([]byte(`{"field": "topic", "op": "contains", "value": "billing"}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, d := range append(sqlDialects, dialect.ClickHouse) {
		q := &sqlgen.Query{Filter: n, Env: gdEnv}
		st, err := sqlgen.CompileContext(ctx, q, d, sqlgen.DefaultLayout(""))
		if !errors.Is(err, context.Canceled) || st != nil {
			t.Errorf("%s: got %v, %v; want only context.Canceled", d.Name(), st, err)
		}
		if _, err := sqlgen.CompileContext(context.Background(), q, d, sqlgen.DefaultLayout("")); err != nil {
			t.Errorf("%s: %v", d.Name(), err)
		}
	}
}
