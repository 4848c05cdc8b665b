/* SQLite state: schema, and the handful of statements the orchestrator needs. */
#include "orch/state.h"
#include "util/fsutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const schema =
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=NORMAL;" /* WAL: a kill -9 loses nothing; power loss at worst re-runs a task */
    "PRAGMA foreign_keys=ON;"
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);"
    "INSERT OR IGNORE INTO meta VALUES('schema','1');"
    "CREATE TABLE IF NOT EXISTS results(key TEXT PRIMARY KEY, agent TEXT NOT NULL, clip TEXT,"
    "  manifest TEXT NOT NULL, cpu_seconds REAL, wall_seconds REAL, created REAL);"
    "CREATE TABLE IF NOT EXISTS outputs(key TEXT NOT NULL REFERENCES results(key) ON DELETE CASCADE,"
    "  kind TEXT NOT NULL, filename TEXT NOT NULL, hash TEXT NOT NULL, size INTEGER,"
    "  publish TEXT, PRIMARY KEY(key, kind));"
    "CREATE TABLE IF NOT EXISTS tasks(id TEXT PRIMARY KEY, agent TEXT, clip TEXT, state TEXT,"
    "  key TEXT, run INTEGER, message TEXT, cpu_seconds REAL, updated REAL, progress REAL);"
    "CREATE TABLE IF NOT EXISTS runs(id INTEGER PRIMARY KEY, started REAL, finished REAL,"
    "  status TEXT, threads INTEGER, total INTEGER, ran INTEGER, cached INTEGER, failed INTEGER,"
    "  skipped INTEGER, cpu_seconds REAL DEFAULT 0, wall_seconds REAL);"
    "CREATE TABLE IF NOT EXISTS events(id INTEGER PRIMARY KEY, run INTEGER, t REAL, task TEXT,"
    "  type TEXT, message TEXT);"
    "CREATE TABLE IF NOT EXISTS published(path TEXT PRIMARY KEY, hash TEXT, size INTEGER,"
    "  mtime_ns INTEGER);";

static double wall_clock(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int db_err(reel_state *st, reel_err *e, const char *what)
{
    return reel_errf(e, REEL_EDB, "%s: %s: %s", st->path, what, sqlite3_errmsg(st->db));
}

int reel_state_exec(reel_state *st, const char *sql, reel_err *e)
{
    char *msg = NULL;
    if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) == SQLITE_OK) return 0;
    reel_errf(e, REEL_EDB, "%s: %s", st->path, msg ? msg : "error");
    sqlite3_free(msg);
    return REEL_EDB;
}

int reel_state_open(reel_state *st, const char *root, reel_err *e)
{
    memset(st, 0, sizeof *st);
    char *dir = reel_path_join(root, ".reel");
    int rc = dir ? reel_mkdirs(dir, e) : REEL_ENOMEM;
    st->path = dir ? reel_path_join(dir, "state.db") : NULL;
    free(dir);
    if (rc) return rc;
    if (!st->path) return reel_errf(e, REEL_ENOMEM, "out of memory");
    if (sqlite3_open_v2(st->path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL)) {
        rc = db_err(st, e, "cannot open");
        reel_state_close(st);
        return rc;
    }
    sqlite3_busy_timeout(st->db, 10000);
    if ((rc = reel_state_exec(st, schema, e))) reel_state_close(st);
    return rc;
}

void reel_state_close(reel_state *st)
{
    if (st->db) sqlite3_close(st->db);
    free(st->path);
    memset(st, 0, sizeof *st);
}

static sqlite3_stmt *prep(reel_state *st, const char *sql, reel_err *e)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK) db_err(st, e, "prepare");
    return s;
}

static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
    if (v) sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
    else sqlite3_bind_null(s, i);
}

static void copy_col(char *dst, size_t n, sqlite3_stmt *s, int col)
{
    const unsigned char *t = sqlite3_column_text(s, col);
    snprintf(dst, n, "%s", t ? (const char *)t : "");
}

int reel_state_result(reel_state *st, const char *key, reel_output *outs, int max, char manifest[65],
                      reel_err *e)
{
    sqlite3_stmt *s = prep(st, "SELECT manifest FROM results WHERE key=?", e);
    if (!s) return REEL_EDB;
    bind_text(s, 1, key);
    int found = sqlite3_step(s) == SQLITE_ROW;
    if (found) copy_col(manifest, 65, s, 0);
    sqlite3_finalize(s);
    if (!found) return -1;
    s = prep(st, "SELECT kind, filename, hash, size, publish FROM outputs WHERE key=? ORDER BY kind", e);
    if (!s) return REEL_EDB;
    bind_text(s, 1, key);
    int n = 0;
    while (sqlite3_step(s) == SQLITE_ROW && n < max) {
        copy_col(outs[n].kind, sizeof outs[n].kind, s, 0);
        copy_col(outs[n].filename, sizeof outs[n].filename, s, 1);
        copy_col(outs[n].hash, sizeof outs[n].hash, s, 2);
        outs[n].size = sqlite3_column_int64(s, 3);
        copy_col(outs[n].publish, sizeof outs[n].publish, s, 4);
        n++;
    }
    sqlite3_finalize(s);
    return n;
}

int reel_state_put_result(reel_state *st, const char *key, const char *agent, const char *clip,
                          const char *manifest, const reel_output *outs, int n, double cpu,
                          double wall, reel_err *e)
{
    int rc = reel_state_exec(st, "SAVEPOINT result", e); /* nests in the run's batch */
    if (rc) return rc;
    sqlite3_stmt *s = prep(st, "INSERT OR REPLACE INTO results VALUES(?,?,?,?,?,?,?)", e);
    if (!s) goto fail;
    bind_text(s, 1, key);
    bind_text(s, 2, agent);
    bind_text(s, 3, clip);
    bind_text(s, 4, manifest);
    sqlite3_bind_double(s, 5, cpu);
    sqlite3_bind_double(s, 6, wall);
    sqlite3_bind_double(s, 7, wall_clock());
    int ok = sqlite3_step(s) == SQLITE_DONE;
    sqlite3_finalize(s);
    if (!ok) { db_err(st, e, "insert result"); goto fail; }
    s = prep(st, "INSERT OR REPLACE INTO outputs VALUES(?,?,?,?,?,?)", e);
    if (!s) goto fail;
    for (int i = 0; i < n && ok; i++) {
        sqlite3_reset(s);
        bind_text(s, 1, key);
        bind_text(s, 2, outs[i].kind);
        bind_text(s, 3, outs[i].filename);
        bind_text(s, 4, outs[i].hash);
        sqlite3_bind_int64(s, 5, outs[i].size);
        bind_text(s, 6, outs[i].publish);
        ok = sqlite3_step(s) == SQLITE_DONE;
    }
    sqlite3_finalize(s);
    if (!ok) { db_err(st, e, "insert output"); goto fail; }
    return reel_state_exec(st, "RELEASE result", e);
fail:
    reel_state_exec(st, "ROLLBACK TO result; RELEASE result", NULL);
    return REEL_EDB;
}

int reel_state_task(reel_state *st, const char *id, const char *agent, const char *clip,
                    const char *state, const char *key, long long run, const char *msg, double cpu,
                    reel_err *e)
{
    /* an upsert keeps each row's rowid, so tasks list in plan order */
    sqlite3_stmt *s = prep(st, "INSERT INTO tasks VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,"
                               "CASE ?4 WHEN 'done' THEN 1 WHEN 'cached' THEN 1 ELSE 0 END) "
                               "ON CONFLICT(id) DO UPDATE SET state=?4, key=?5, run=?6, message=?7,"
                               " cpu_seconds=?8, updated=?9, progress=excluded.progress", e);
    if (!s) return REEL_EDB;
    bind_text(s, 1, id);
    bind_text(s, 2, agent);
    bind_text(s, 3, clip);
    bind_text(s, 4, state);
    bind_text(s, 5, key);
    sqlite3_bind_int64(s, 6, run);
    bind_text(s, 7, msg);
    sqlite3_bind_double(s, 8, cpu);
    sqlite3_bind_double(s, 9, wall_clock());
    int ok = sqlite3_step(s) == SQLITE_DONE;
    sqlite3_finalize(s);
    return ok ? 0 : db_err(st, e, "update task");
}

int reel_state_event(reel_state *st, long long run, const char *task, const char *type,
                     const char *msg, reel_err *e)
{
    sqlite3_stmt *s = prep(st, "INSERT INTO events(run,t,task,type,message) VALUES(?,?,?,?,?)", e);
    if (!s) return REEL_EDB;
    sqlite3_bind_int64(s, 1, run);
    sqlite3_bind_double(s, 2, wall_clock());
    bind_text(s, 3, task);
    bind_text(s, 4, type);
    bind_text(s, 5, msg);
    int ok = sqlite3_step(s) == SQLITE_DONE;
    sqlite3_finalize(s);
    return ok ? 0 : db_err(st, e, "insert event");
}

long long reel_state_run_begin(reel_state *st, int threads, int total, reel_err *e)
{
    sqlite3_stmt *s = prep(st, "INSERT INTO runs(started,status,threads,total) VALUES(?,'running',?,?)", e);
    if (!s) return REEL_EDB;
    sqlite3_bind_double(s, 1, wall_clock());
    sqlite3_bind_int(s, 2, threads);
    sqlite3_bind_int(s, 3, total);
    int ok = sqlite3_step(s) == SQLITE_DONE;
    sqlite3_finalize(s);
    return ok ? sqlite3_last_insert_rowid(st->db) : db_err(st, e, "insert run");
}

int reel_state_run_end(reel_state *st, long long run, const char *status, double cpu, double wall,
                       int ran, int cached, int failed, int skipped, reel_err *e)
{
    sqlite3_stmt *s = prep(st, "UPDATE runs SET finished=?, status=?, cpu_seconds=?, wall_seconds=?,"
                               " ran=?, cached=?, failed=?, skipped=? WHERE id=?", e);
    if (!s) return REEL_EDB;
    sqlite3_bind_double(s, 1, wall_clock());
    bind_text(s, 2, status);
    sqlite3_bind_double(s, 3, cpu);
    sqlite3_bind_double(s, 4, wall);
    sqlite3_bind_int(s, 5, ran);
    sqlite3_bind_int(s, 6, cached);
    sqlite3_bind_int(s, 7, failed);
    sqlite3_bind_int(s, 8, skipped);
    sqlite3_bind_int64(s, 9, run);
    int ok = sqlite3_step(s) == SQLITE_DONE;
    sqlite3_finalize(s);
    return ok ? 0 : db_err(st, e, "update run");
}

int reel_state_task_progress(reel_state *st, const char *id, double progress)
{
    sqlite3_stmt *s = prep(st, "UPDATE tasks SET progress=?, updated=? WHERE id=?", NULL);
    if (!s) return REEL_EDB;
    sqlite3_bind_double(s, 1, progress);
    sqlite3_bind_double(s, 2, wall_clock());
    bind_text(s, 3, id);
    int ok = sqlite3_step(s) == SQLITE_DONE;
    sqlite3_finalize(s);
    return ok ? 0 : REEL_EDB;
}

double reel_state_spent(reel_state *st)
{
    sqlite3_stmt *s = prep(st, "SELECT COALESCE(SUM(cpu_seconds),0) FROM runs", NULL);
    double v = 0;
    if (s && sqlite3_step(s) == SQLITE_ROW) v = sqlite3_column_double(s, 0);
    sqlite3_finalize(s);
    return v;
}

int reel_state_published(reel_state *st, const char *path, char hash[65], long long *size,
                         long long *mtime_ns)
{
    sqlite3_stmt *s = prep(st, "SELECT hash, size, mtime_ns FROM published WHERE path=?", NULL);
    if (!s) return 0;
    bind_text(s, 1, path);
    int found = sqlite3_step(s) == SQLITE_ROW;
    if (found) {
        copy_col(hash, 65, s, 0);
        *size = sqlite3_column_int64(s, 1);
        *mtime_ns = sqlite3_column_int64(s, 2);
    }
    sqlite3_finalize(s);
    return found;
}

int reel_state_put_published(reel_state *st, const char *path, const char *hash, long long size,
                             long long mtime_ns, reel_err *e)
{
    sqlite3_stmt *s = prep(st, "INSERT OR REPLACE INTO published VALUES(?,?,?,?)", e);
    if (!s) return REEL_EDB;
    bind_text(s, 1, path);
    bind_text(s, 2, hash);
    sqlite3_bind_int64(s, 3, size);
    sqlite3_bind_int64(s, 4, mtime_ns);
    int ok = sqlite3_step(s) == SQLITE_DONE;
    sqlite3_finalize(s);
    return ok ? 0 : db_err(st, e, "record publish");
}

int reel_state_recover(reel_state *st, reel_err *e)
{
    return reel_state_exec(st, "UPDATE tasks SET state='pending', message='interrupted; resumed' "
                               "WHERE state IN ('running','ready');"
                               "UPDATE runs SET status='interrupted' WHERE status='running';", e);
}

int reel_state_reset_tasks(reel_state *st, reel_err *e)
{
    return reel_state_exec(st, "DELETE FROM tasks", e);
}
