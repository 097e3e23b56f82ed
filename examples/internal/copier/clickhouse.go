package copier

import (
	"context"

	"github.com/calldash/calldash/sqlstore"
)

// clickhouse copies with the driver's native batches, as sqlstore does.
type clickhouse struct{}

func (clickhouse) Copy(ctx context.Context, t *sqlstore.CopyTable) error { return t.Insert(ctx) }
