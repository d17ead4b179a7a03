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
//   scanAsync(procRoot) -> Promise<the same>: the walk on a libuv worker thread, so the caller
//     can read the socket tables (or load code) meanwhile.
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

/** Walk procRoot/<pid>/fd for every PID; 0 or an errno when procRoot itself cannot be read. */
static int walk(const char *root, words_t *out, uint32_t *processes, uint32_t *fds) {
  int proc = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (proc < 0) return errno;
  DIR *pd = fdopendir(proc);
  if (!pd) {
    int e = errno;
    close(proc);
    return e;
  }
  struct dirent *pe;
  char path[sizeof(((struct dirent *)0)->d_name) + 8];
  char link[64];
  while ((pe = readdir(pd)) != NULL) {
    const char *name = pe->d_name;
    if (name[0] < '1' || name[0] > '9') continue; // PIDs only (never 0-prefixed)
    char *end;
    unsigned long pid = strtoul(name, &end, 10);
    if (*end != '\0' || pid == 0 || pid > UINT32_MAX) continue;
    snprintf(path, sizeof path, "%s/fd", name);
    int fdd = openat(proc, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fdd < 0) continue; // gone, or not ours to read (a hidden holder: the row says so)
    DIR *fd = fdopendir(fdd);
    if (!fd) {
      close(fdd);
      continue;
    }
    (*processes)++;
    struct dirent *fe;
    while ((fe = readdir(fd)) != NULL) {
      if (fe->d_name[0] == '.') continue;
      ssize_t n = readlinkat(fdd, fe->d_name, link, sizeof link);
      if (n < 0) continue; // closed while we looked
      (*fds)++;
      uint64_t inode = socket_inode(link, n);
      if (inode) push3(out, (uint32_t)inode, (uint32_t)(inode >> 32), (uint32_t)pid);
    }
    closedir(fd);
  }
  closedir(pd);
  return 0;
}

/** One walk's inputs and outputs (shared by the synchronous and the worker-thread call). */
typedef struct {
  char root[512];
  words_t out;
  uint32_t processes, fds;
  int err;
  napi_deferred deferred;
  napi_async_work work;
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

static napi_value js_scan(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  char root[512] = "/proc";
  size_t rl = 0;
  if (argc >= 1 && napi_get_value_string_utf8(env, argv[0], root, sizeof root, &rl) != napi_ok) {
    napi_throw_type_error(env, NULL, "scan(procRoot): procRoot must be a string");
    return NULL;
  }
  if (rl >= sizeof root - 1) {
    napi_throw_range_error(env, NULL, "scan(procRoot): path too long");
    return NULL;
  }
  scan_t s = {0};
  memcpy(s.root, root, sizeof root);
  s.err = walk(s.root, &s.out, &s.processes, &s.fds);
  napi_value error = NULL;
  napi_value result = to_js(env, &s, &error);
  if (error) napi_throw(env, error);
  return result;
}

static void async_execute(napi_env env, void *data) {
  (void)env;
  scan_t *s = data;
  s->err = walk(s->root, &s->out, &s->processes, &s->fds);
}

static void async_complete(napi_env env, napi_status status, void *data) {
  scan_t *s = data;
  napi_value error = NULL;
  napi_value result = NULL;
  if (status == napi_ok) result = to_js(env, s, &error);
  else napi_create_string_utf8(env, "fd scan cancelled", NAPI_AUTO_LENGTH, &error);
  if (error || !result) {
    napi_value msg = error;
    if (!msg) napi_create_string_utf8(env, "fd scan failed", NAPI_AUTO_LENGTH, &msg);
    napi_valuetype t;
    napi_typeof(env, msg, &t);
    if (t == napi_string) napi_create_error(env, NULL, msg, &error);
    napi_reject_deferred(env, s->deferred, error);
  } else {
    napi_resolve_deferred(env, s->deferred, result);
  }
  napi_delete_async_work(env, s->work);
  free(s);
}

static napi_value js_scan_async(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  scan_t *s = calloc(1, sizeof *s);
  if (!s) {
    napi_throw_error(env, NULL, "out of memory");
    return NULL;
  }
  strcpy(s->root, "/proc");
  size_t rl = 0;
  if (argc >= 1 && napi_get_value_string_utf8(env, argv[0], s->root, sizeof s->root, &rl) != napi_ok) {
    free(s);
    napi_throw_type_error(env, NULL, "scanAsync(procRoot): procRoot must be a string");
    return NULL;
  }
  if (rl >= sizeof s->root - 1) {
    free(s);
    napi_throw_range_error(env, NULL, "scanAsync(procRoot): path too long");
    return NULL;
  }
  napi_value promise, name;
  napi_create_promise(env, &s->deferred, &promise);
  napi_create_string_utf8(env, "portscope:fd-scan", NAPI_AUTO_LENGTH, &name);
  napi_create_async_work(env, NULL, name, async_execute, async_complete, s, &s->work);
  napi_queue_async_work(env, s->work);
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
