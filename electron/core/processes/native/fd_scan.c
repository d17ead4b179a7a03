// N-API addon: every (socket inode, PID) pair in /proc/<pid>/fd, read in C. `ss -p` and `lsof` find
// socket holders the same way (one readlink per open fd of every process); done from JS that is one
// readlinkSync call, one exception or string and one `socket:[…]` parse per fd, which at 25,000
// sockets is most of `portscope list`. Here the whole walk crosses into JS once, as one Buffer.
//
// JS API (see fd-scan-addon.ts for the decoding side):
//   scan(procRoot) -> { pairs: Buffer, processes: number, fds: number }
//     `pairs` holds PAIR_WORDS native-endian uint32 per socket fd: inode low word, inode high word,
//     PID, in /proc's order (each process's fds together). A process that holds one socket in several
//     fds (dup) gives one pair per fd; the JS side keeps one. Processes whose fd table cannot be read
//     (gone, another user's) are skipped, as fds closed mid-walk are. `processes` and `fds` count
//     what was read (tables and links).
//   scanAsync(procRoot) -> Promise<the same>: the walk on two libuv worker threads (sharing the
//     PIDs), so the caller can read the socket tables (or load code) meanwhile. The same pairs;
//     each process's fds still together, the processes in no set order.
//   pairWords: 3
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <node_api.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PAIR_WORDS 3

typedef struct {
  uint32_t *w;
  size_t len, cap; // in words
  int oom;
} words_t;

static void push3(words_t *v, uint32_t a, uint32_t b, uint32_t c) {
  if (v->oom) return;
  if (v->len + 3 > v->cap) {
    size_t cap = v->cap ? v->cap * 2 : 3 * 4096;
    uint32_t *w = realloc(v->w, cap * sizeof *w);
    if (!w) {
      v->oom = 1;
      return;
    }
    v->w = w;
    v->cap = cap;
  }
  v->w[v->len++] = a;
  v->w[v->len++] = b;
  v->w[v->len++] = c;
}

/** "socket:[12345]" -> 12345; 0 for any other link. */
static uint64_t socket_inode(const char *link, ssize_t n) {
  if (n < 10 || memcmp(link, "socket:[", 8) != 0 || link[n - 1] != ']') return 0;
  uint64_t v = 0;
  for (ssize_t i = 8; i < n - 1; i++) {
    if (link[i] < '0' || link[i] > '9') return 0;
    v = v * 10 + (uint64_t)(link[i] - '0');
  }
  return v;
}

/** The PIDs listed in procRoot (opened as *procfd, left open for the fd tables); 0 or an errno. */
static int list_pids(const char *root, int *procfd, uint32_t **pids, size_t *count) {
  int proc = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (proc < 0) return errno;
  int dupfd = dup(proc); // fdopendir takes its fd; the tables are opened relative to the other
  DIR *pd = dupfd < 0 ? NULL : fdopendir(dupfd);
  if (!pd) {
    int e = errno;
    if (dupfd >= 0) close(dupfd);
    close(proc);
    return e;
  }
  size_t n = 0, cap = 256;
  uint32_t *list = malloc(cap * sizeof *list);
  struct dirent *pe;
  while (list && (pe = readdir(pd)) != NULL) {
    const char *name = pe->d_name;
    if (name[0] < '1' || name[0] > '9') continue; // PIDs only (never 0-prefixed)
    char *end;
    unsigned long pid = strtoul(name, &end, 10);
    if (*end != '\0' || pid == 0 || pid > UINT32_MAX) continue;
    if (n == cap) {
      uint32_t *grown = realloc(list, (cap *= 2) * sizeof *list);
      if (!grown) {
        free(list);
        list = NULL;
        break;
      }
      list = grown;
    }
    list[n++] = (uint32_t)pid;
  }
  closedir(pd);
  if (!list) {
    close(proc);
    return ENOMEM;
  }
  *procfd = proc;
  *pids = list;
  *count = n;
  return 0;
}

/** The socket fds of one process into `out`. */
static void scan_pid(int proc, uint32_t pid, words_t *out, uint32_t *processes, uint32_t *fds) {
  char path[32];
  char link[64];
  snprintf(path, sizeof path, "%u/fd", pid);
  int fdd = openat(proc, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fdd < 0) return; // gone, or not ours to read (a hidden holder: the row says so)
  DIR *fd = fdopendir(fdd);
  if (!fd) {
    close(fdd);
    return;
  }
  (*processes)++;
  struct dirent *fe;
  while ((fe = readdir(fd)) != NULL) {
    if (fe->d_name[0] == '.') continue;
    ssize_t n = readlinkat(fdd, fe->d_name, link, sizeof link);
    if (n < 0) continue; // closed while we looked
    (*fds)++;
    uint64_t inode = socket_inode(link, n);
    if (inode) push3(out, (uint32_t)inode, (uint32_t)(inode >> 32), pid);
  }
  closedir(fd);
}

/** Walk procRoot/<pid>/fd for every PID; 0 or an errno when procRoot itself cannot be read. */
static int walk(const char *root, words_t *out, uint32_t *processes, uint32_t *fds) {
  int proc;
  uint32_t *pids;
  size_t n;
  int err = list_pids(root, &proc, &pids, &n);
  if (err) return err;
  for (size_t i = 0; i < n; i++) scan_pid(proc, pids[i], out, processes, fds);
  free(pids);
  close(proc);
  return 0;
}

/** One walk's inputs and outputs (shared by the synchronous and the worker-thread call). */
typedef struct {
  char root[512];
  words_t out;
  uint32_t processes, fds;
  int err;
} scan_t;

/** The walk's answer as { pairs, processes, fds }; frees the words. On failure: *error set. */
static napi_value to_js(napi_env env, scan_t *s, napi_value *error) {
  if (s->err || s->out.oom) {
    free(s->out.w);
    s->out.w = NULL;
    napi_value msg;
    napi_create_string_utf8(env, s->err ? strerror(s->err) : "out of memory", NAPI_AUTO_LENGTH, &msg);
    napi_create_error(env, NULL, msg, error);
    return NULL;
  }
  napi_value result, buf, v;
  void *data;
  napi_status st = napi_create_buffer_copy(env, s->out.len * sizeof(uint32_t),
                                           s->out.len ? (void *)s->out.w : (void *)"", &data, &buf);
  free(s->out.w);
  s->out.w = NULL;
  if (st != napi_ok) {
    napi_value msg;
    napi_create_string_utf8(env, "could not allocate the result", NAPI_AUTO_LENGTH, &msg);
    napi_create_error(env, NULL, msg, error);
    return NULL;
  }
  napi_create_object(env, &result);
  napi_set_named_property(env, result, "pairs", buf);
  napi_create_uint32(env, s->processes, &v);
  napi_set_named_property(env, result, "processes", v);
  napi_create_uint32(env, s->fds, &v);
  napi_set_named_property(env, result, "fds", v);
  return result;
}

// The optional procRoot argument of scan()/scanAsync() into `root` ("/proc" when absent); false
// after throwing a TypeError or RangeError for a bad one.
static bool proc_root_arg(napi_env env, napi_callback_info info, const char *fn, char root[512]) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  char msg[96];
  strcpy(root, "/proc");
  size_t rl = 0;
  if (argc >= 1 && napi_get_value_string_utf8(env, argv[0], root, 512, &rl) != napi_ok) {
    snprintf(msg, sizeof msg, "%s(procRoot): procRoot must be a string", fn);
    napi_throw_type_error(env, NULL, msg);
    return false;
  }
  if (rl >= 511) {
    snprintf(msg, sizeof msg, "%s(procRoot): path too long", fn);
    napi_throw_range_error(env, NULL, msg);
    return false;
  }
  return true;
}

static napi_value js_scan(napi_env env, napi_callback_info info) {
  char root[512];
  if (!proc_root_arg(env, info, "scan", root)) return NULL;
  scan_t s = {0};
  memcpy(s.root, root, sizeof root);
  s.err = walk(s.root, &s.out, &s.processes, &s.fds);
  napi_value error = NULL;
  napi_value result = to_js(env, &s, &error);
  if (error) napi_throw(env, error);
  return result;
}

/**
 * scanAsync: the PIDs are listed here (one getdents), then WORKERS libuv workers take them one
 * at a time (an atomic index) and walk their fd tables in parallel: at 25,000 sockets the walk
 * is tens of thousands of readlinks, the longest part of `list` while the socket dump runs
 * beside it. Each worker keeps its own pairs; a process's fds stay together.
 */
#ifndef WORKERS
#define WORKERS 2
#endif

typedef struct {
  int proc;
  uint32_t *pids;
  size_t count;
  size_t next; // atomic
  int pending; // workers not yet completed (main thread only)
  struct {
    words_t out;
    uint32_t processes, fds;
    napi_async_work work;
  } part[WORKERS];
  napi_deferred deferred;
} shared_scan_t;

typedef struct {
  shared_scan_t *shared;
  int index;
} worker_t;

static void worker_execute(napi_env env, void *data) {
  (void)env;
  worker_t *w = data;
  shared_scan_t *s = w->shared;
  for (;;) {
    size_t i = __atomic_fetch_add(&s->next, 1, __ATOMIC_RELAXED);
    if (i >= s->count) break;
    scan_pid(s->proc, s->pids[i], &s->part[w->index].out, &s->part[w->index].processes,
             &s->part[w->index].fds);
  }
}

static void worker_complete(napi_env env, napi_status status, void *data) {
  worker_t *w = data;
  shared_scan_t *s = w->shared;
  napi_delete_async_work(env, s->part[w->index].work);
  free(w);
  if (status != napi_ok) s->part[0].out.oom = 1; // reported below as a failure
  if (--s->pending > 0) return;
  // The last worker: one answer from every part.
  scan_t all = {0};
  for (int k = 0; k < WORKERS; k++) {
    words_t *o = &s->part[k].out;
    all.processes += s->part[k].processes;
    all.fds += s->part[k].fds;
    if (o->oom) all.out.oom = 1;
    for (size_t j = 0; j + 2 < o->len; j += 3) push3(&all.out, o->w[j], o->w[j + 1], o->w[j + 2]);
    free(o->w);
  }
  close(s->proc);
  free(s->pids);
  napi_value error = NULL;
  napi_value result = to_js(env, &all, &error);
  if (result) napi_resolve_deferred(env, s->deferred, result);
  else napi_reject_deferred(env, s->deferred, error);
  free(s);
}

static napi_value js_scan_async(napi_env env, napi_callback_info info) {
  char root[512];
  if (!proc_root_arg(env, info, "scanAsync", root)) return NULL;
  napi_value promise, name;
  napi_deferred deferred;
  napi_create_promise(env, &deferred, &promise);
  shared_scan_t *s = calloc(1, sizeof *s);
  int err = s ? list_pids(root, &s->proc, &s->pids, &s->count) : ENOMEM;
  if (err) {
    free(s);
    napi_value msg, error;
    napi_create_string_utf8(env, strerror(err), NAPI_AUTO_LENGTH, &msg);
    napi_create_error(env, NULL, msg, &error);
    napi_reject_deferred(env, deferred, error);
    return promise;
  }
  s->deferred = deferred;
  s->pending = WORKERS;
  napi_create_string_utf8(env, "portscope:fd-scan", NAPI_AUTO_LENGTH, &name);
  for (int k = 0; k < WORKERS; k++) {
    worker_t *w = malloc(sizeof *w);
    if (!w) abort(); // a few bytes: nothing sensible is left to do
    w->shared = s;
    w->index = k;
    napi_create_async_work(env, NULL, name, worker_execute, worker_complete, w, &s->part[k].work);
    napi_queue_async_work(env, s->part[k].work);
  }
  return promise;
}

NAPI_MODULE_INIT() {
  napi_value fn, words;
  napi_create_function(env, "scan", NAPI_AUTO_LENGTH, js_scan, NULL, &fn);
  napi_set_named_property(env, exports, "scan", fn);
  napi_create_function(env, "scanAsync", NAPI_AUTO_LENGTH, js_scan_async, NULL, &fn);
  napi_set_named_property(env, exports, "scanAsync", fn);
  napi_create_uint32(env, PAIR_WORDS, &words);
  napi_set_named_property(env, exports, "pairWords", words);
  return exports;
}
