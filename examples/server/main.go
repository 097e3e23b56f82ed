package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"sync"
	"syscall"
	"time"
	_ "time/tzdata" // every IANA zone for ?tz=, whatever the machine has

	"github.com/calldash/calldash"
)

func main() {
	logger := log.New(os.Stderr, "server: ", log.LstdFlags)
	cfg, err := parseFlags(os.Args[1:], os.Stderr)
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, err)
		}
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg, os.Getenv("CALLDASH_API_KEYS"), logger); err != nil {
		logger.Print(err)
		os.Exit(1)
	}
}

// A config is the service's settings, from its flags.
type config struct {
	addr        string
	source      string // memory, sqlite, postgres, mysql or clickhouse
	dsn         string
	load        bool   // SQL: load the calls into scratch tables
	prefix      string // SQL without load: the prefix of the existing tables
	calls       []callsFile
	keysFile    string
	storeDSN    string
	widgetsFile string
	latency     int64 // -latency-metric; -1 for the default
	now         string
	maxBody     int64
	timeout     time.Duration
	readTimeout time.Duration
	maxInflight int
}

// parseFlags reads the command line; see the package documentation.
func parseFlags(args []string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c config
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "listen `address`")
	fs.StringVar(&c.source, "source", "memory", "where calls are answered: memory, sqlite, postgres, mysql or clickhouse")
	fs.StringVar(&c.dsn, "dsn", "", "database `DSN` of an SQL -source, in its driver's form (sqlite default: :memory:)")
	fs.BoolVar(&c.load, "load", true, "with an SQL -source: load the calls into scratch tables, dropped at exit; false: answer over the existing default tables")
	fs.StringVar(&c.prefix, "table-prefix", "", "with -load=false: the `prefix` of the existing tables' names")
	fs.Func("calls", "call logs as JSON Lines, `[SCOPE@]FILE`, e.g. tenant=acme@acme.jsonl; repeatable (default: sample calls of two tenants)", func(v string) error {
		f, err := parseCallsFlag(v)
		c.calls = append(c.calls, f)
		return err
	})
	fs.StringVar(&c.keysFile, "keys", "", "API keys `file`: lines KEY [column=value[,column=value]]")
	fs.StringVar(&c.storeDSN, "store", ":memory:", "SQLite `file` of the saved widgets and dashboards")
	fs.StringVar(&c.widgetsFile, "widgets", "", "seed the store with the dashboards and widgets of this JSON `file` (default: the sample dashboard, when the store is empty)")
	fs.Int64Var(&c.latency, "latency-metric", -1, "metric `id` whose p95 is a stat widget's p95_latency; 0 for none (default: 16 with the sample calls, else none)")
	fs.StringVar(&c.now, "now", "", "a fixed clock, RFC 3339 (default: the time of each request)")
	fs.Int64Var(&c.maxBody, "max-body", 1<<20, "largest request body in `bytes`")
	fs.DurationVar(&c.timeout, "timeout", 10*time.Second, "deadline of one request once its body is read")
	fs.DurationVar(&c.readTimeout, "read-timeout", 10*time.Second, "longest time to read a request, headers and body")
	fs.IntVar(&c.maxInflight, "max-inflight", 4*runtime.GOMAXPROCS(0), "most requests answered at once; more get 503")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if fs.NArg() > 0 {
		return config{}, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if c.maxBody <= 0 || c.timeout <= 0 || c.readTimeout <= 0 || c.maxInflight <= 0 {
		return config{}, errors.New("-max-body, -timeout, -read-timeout and -max-inflight must be positive")
	}
	if c.source == "memory" && (c.dsn != "" || c.prefix != "" || !c.load) {
		return config{}, errors.New("-dsn, -load and -table-prefix are for an SQL -source")
	}
	if c.load && c.prefix != "" {
		return config{}, errors.New("-table-prefix names existing tables: use it with -load=false")
	}
	if !c.load && len(c.calls) > 0 {
		return config{}, errors.New("-calls and -load=false: the existing tables hold the calls")
	}
	return c, nil
}

// run serves until ctx is done, then shuts down gracefully and leaves
// the database as it found it.
func run(ctx context.Context, cfg config, envKeys string, logger *log.Logger) (err error) {
	s, closeAll, err := newServer(ctx, cfg, envKeys, logger)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, closeAll(context.Background())) }()
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	srv := cfg.httpServer(s, logger)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	logger.Printf("listening on http://%s/ (playground at /, OpenAPI at /openapi.json)", ln.Addr())
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), cfg.timeout+time.Second)
	defer cancel()
	return srv.Shutdown(shutdown)
}

// httpServer returns the http.Server of the service: a deadline for the
// headers and for the whole request, so that slow bodies cannot pile up.
func (c config) httpServer(h http.Handler, logger *log.Logger) *http.Server {
	return &http.Server{
		Addr:              c.addr,
		Handler:           h,
		ReadHeaderTimeout: min(5*time.Second, c.readTimeout),
		ReadTimeout:       c.readTimeout,
		WriteTimeout:      c.readTimeout + c.timeout + 5*time.Second,
		IdleTimeout:       time.Minute,
		MaxHeaderBytes:    1 << 20,
		ErrorLog:          logger,
	}
}

// newServer builds the service of cfg: keys, calls, backend and store.
// closeAll releases what it opened (and drops scratch tables), once.
func newServer(ctx context.Context, cfg config, envKeys string, logger *log.Logger) (s *server, closeAll func(context.Context) error, err error) {
	now := time.Now
	if cfg.now != "" {
		t, err := time.Parse(time.RFC3339Nano, cfg.now)
		if err != nil {
			return nil, nil, fmt.Errorf("-now: want RFC 3339, e.g. 2025-11-28T12:00:00Z: %v", err)
		}
		now = func() time.Time { return t }
	}
	keys, err := loadKeys(cfg.keysFile, envKeys, logger)
	if err != nil {
		return nil, nil, err
	}
	calls, latency := map[string][]calldash.Call(nil), cfg.latency
	if len(cfg.calls) == 0 && cfg.load {
		calls = sampleCalls(now(), 400)
		if latency < 0 {
			latency = latencyMetric
		}
	} else if calls, err = readCalls(cfg.calls); err != nil {
		return nil, nil, err
	}
	latency = max(latency, 0)

	data, err := openBackend(ctx, cfg, calls, logger)
	if err != nil {
		return nil, nil, err
	}
	st, err := openStore(ctx, cfg.storeDSN)
	if err != nil {
		return nil, nil, errors.Join(err, data.close(ctx))
	}
	var once sync.Once
	var closeErr error
	closeAll = func(ctx context.Context) error {
		once.Do(func() { closeErr = errors.Join(st.close(), data.close(ctx)) })
		return closeErr
	}
	if err := seedStore(ctx, st, cfg.widgetsFile); err != nil {
		return nil, nil, errors.Join(err, closeAll(ctx))
	}
	for _, scope := range keys {
		switch {
		case len(scope) == 0:
		case data.db != nil && data.scoped == nil && data.none == nil:
			logger.Printf("warning: keys scoped to %s get 501 answers: existing default tables have no scope columns", scope)
		case data.db != nil && data.scoped == nil:
			logger.Printf("warning: keys scoped to %s see no calls: no -calls %s@FILE", scope, scope)
		case data.tables[scope.String()] == nil:
			logger.Printf("warning: keys scoped to %s see no calls: no -calls %s@FILE", scope, scope)
		}
	}
	return &server{
		keys:    keys,
		data:    data,
		store:   st,
		now:     now,
		latency: latency,
		maxBody: cfg.maxBody,
		timeout: cfg.timeout,
		busy:    make(chan struct{}, cfg.maxInflight),
		log:     logger,
		routes:  routes(),
	}, closeAll, nil
}

// loadKeys reads the keys of CALLDASH_API_KEYS and of the keys file. With
// none, it makes up an unscoped key for this run and logs it, so that the
// service never runs without authentication.
func loadKeys(file, env string, logger *log.Logger) (keyring, error) {
	keys := keyring{}
	if err := keys.addEnv(env); err != nil {
		return nil, err
	}
	if file != "" {
		f, err := os.Open(file)
		if err != nil {
			return nil, fmt.Errorf("-keys: %w", err)
		}
		defer f.Close()
		if err := keys.addFile(file, f); err != nil {
			return nil, fmt.Errorf("-keys: %w", err)
		}
	}
	if len(keys) == 0 {
		var b [16]byte
		rand.Read(b[:])
		key := "cd_" + hex.EncodeToString(b[:])
		keys.add(key, nil)
		logger.Printf("no API keys in CALLDASH_API_KEYS or -keys: this run's unscoped key is %s", key)
	}
	return keys, nil
}

// seedStore loads the -widgets file into the store, or the sample
// dashboard when there is no such file and the store is empty.
func seedStore(ctx context.Context, st *store, file string) error {
	if file != "" {
		data, err := os.ReadFile(file)
		if err != nil {
			return fmt.Errorf("-widgets: %w", err)
		}
		if err := st.seed(ctx, data); err != nil {
			return fmt.Errorf("-widgets %s: %w", file, err)
		}
		return nil
	}
	empty, err := st.empty(ctx)
	if err != nil || !empty {
		return err
	}
	if err := st.seed(ctx, []byte(sampleDashboard)); err != nil {
		return fmt.Errorf("the sample dashboard: %w", err)
	}
	return nil
}
