package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/calldash/calldash/filter"
	"github.com/calldash/calldash/widget"
)

// A store keeps the saved widgets and dashboards, in SQLite
// (modernc.org/sqlite, the driver package dialect/sqlitefn registers). A
// widget is kept as the JSON it was given; a dashboard as its filters.
// The store is shared by every key: a saved widget is a definition, and
// whoever asks for its data gets it over the calls of their own scope.
type store struct {
	db *sql.DB
}

const storeSchema = `
CREATE TABLE IF NOT EXISTS dashboards (
	id      INTEGER PRIMARY KEY,
	name    TEXT,
	filters TEXT -- JSON; NULL for none
);
CREATE TABLE IF NOT EXISTS widgets (
	id        INTEGER PRIMARY KEY,
	dashboard INTEGER REFERENCES dashboards (id),
	spec      TEXT NOT NULL -- the widget's JSON
);`

// openStore opens (and creates when needed) the store in the SQLite
// database dsn, e.g. a file name or ":memory:".
func openStore(ctx context.Context, dsn string) (*store, error) {
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1) // one writer; ":memory:" lives in its connection
	if _, err := db.ExecContext(ctx, storeSchema); err != nil {
		db.Close()
		return nil, fmt.Errorf("-store %s: %w", dsn, err)
	}
	return &store{db: db}, nil
}

func (s *store) close() error { return s.db.Close() }

// empty reports whether the store holds no widget.
func (s *store) empty(ctx context.Context) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM widgets").Scan(&n)
	return n == 0, err
}

// A seed is the document of -widgets (and of the sample dashboard): the
// dashboards with their filters, and widgets as the hosted API returns
// saved ones, each with its "id" (and "dashboard", when it has one).
//
//	{"dashboards": [{"id": 1, "name": "Support", "filters": {"field": "timestamp", "op": "gte", "value": "today-29d"}}],
//	 "widgets": [{"id": 1, "dashboard": 1, "chart_type": "pie", "field": "topic"}]}
type seed struct {
	Dashboards []struct {
		ID      int64           `json:"id"`
		Name    *string         `json:"name"`
		Filters json.RawMessage `json:"filters"`
	} `json:"dashboards"`
	Widgets []json.RawMessage `json:"widgets"`
}

// seed adds the dashboards and widgets of a seed document to the store,
// replacing those with the same ids, all or nothing. Every widget and
// dashboard filter is validated first; a widget's dashboard must be in
// the document or in the store already.
func (s *store) seed(ctx context.Context, data []byte) error {
	var doc seed
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for i, d := range doc.Dashboards {
		var filters any // NULL for none
		if f := bytes.TrimSpace(d.Filters); len(f) > 0 && !bytes.Equal(f, []byte("null")) {
			if _, err := filter.Validate(f, filter.CallLogs(), filter.AtPath("$.filters")); err != nil {
				return fmt.Errorf("dashboard %d: %w", d.ID, err)
			}
			filters = string(f)
		}
		if d.ID <= 0 {
			return fmt.Errorf("dashboards[%d]: want a positive id", i)
		}
		if _, err := tx.ExecContext(ctx, "INSERT OR REPLACE INTO dashboards (id, name, filters) VALUES (?, ?, ?)", d.ID, d.Name, filters); err != nil {
			return err
		}
	}
	for i, raw := range doc.Widgets {
		var key struct {
			ID *int64 `json:"id"`
		}
		if err := json.Unmarshal(raw, &key); err != nil || key.ID == nil || *key.ID <= 0 {
			return fmt.Errorf("widgets[%d]: want an object with a positive \"id\"", i)
		}
		spec, err := widget.Decode(raw)
		if err != nil {
			return fmt.Errorf("widget %d: %w", *key.ID, err)
		}
		if spec.Dashboard != nil {
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM dashboards WHERE id = ?", *spec.Dashboard).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return fmt.Errorf("widget %d: dashboard %d does not exist", *key.ID, *spec.Dashboard)
			}
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, raw); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT OR REPLACE INTO widgets (id, dashboard, spec) VALUES (?, ?, ?)", *key.ID, spec.Dashboard, compact.String()); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// A saved widget is a widget of the store with its dashboard's filters.
type saved struct {
	spec             []byte // the widget's JSON
	dashboardFilters []byte // nil when the widget has no dashboard or it has no filters
}

// widget returns the saved widget id; ok is false when there is none.
func (s *store) widget(ctx context.Context, id int64) (w saved, ok bool, err error) {
	var spec string
	var filters sql.NullString
	err = s.db.QueryRowContext(ctx,
		"SELECT w.spec, d.filters FROM widgets w LEFT JOIN dashboards d ON d.id = w.dashboard WHERE w.id = ?", id).
		Scan(&spec, &filters)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return saved{}, false, nil
	case err != nil:
		return saved{}, false, err
	}
	w.spec = []byte(spec)
	if filters.Valid {
		w.dashboardFilters = []byte(filters.String)
	}
	return w, true, nil
}

// dashboardFilters returns the filters of dashboard id (nil for none); ok
// is false when there is no such dashboard.
func (s *store) dashboardFilters(ctx context.Context, id int64) (filters []byte, ok bool, err error) {
	var f sql.NullString
	err = s.db.QueryRowContext(ctx, "SELECT filters FROM dashboards WHERE id = ?", id).Scan(&f)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, false, nil
	case err != nil:
		return nil, false, err
	}
	if f.Valid {
		filters = []byte(f.String)
	}
	return filters, true, nil
}
