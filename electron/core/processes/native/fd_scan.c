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
  words_t out = {0};
  uint32_t processes = 0, fds = 0;
  int err = walk(root, &out, &processes, &fds);
  if (err || out.oom) {
    free(out.w);
    napi_throw_error(env, NULL, err ? strerror(err) : "out of memory");
    return NULL;
  }
  napi_value result, buf, v;
  void *data;
  if (napi_create_buffer_copy(env, out.len * sizeof(uint32_t), out.len ? (void *)out.w : (void *)"",
                              &data, &buf) != napi_ok) {
    free(out.w);
    return NULL;
  }
  free(out.w);
  napi_create_object(env, &result);
  napi_set_named_property(env, result, "pairs", buf);
  napi_create_uint32(env, processes, &v);
  napi_set_named_property(env, result, "processes", v);
  napi_create_uint32(env, fds, &v);
  napi_set_named_property(env, result, "fds", v);
  return result;
}

NAPI_MODULE_INIT() {
  napi_value fn, words;
  napi_create_function(env, "scan", NAPI_AUTO_LENGTH, js_scan, NULL, &fn);
  napi_set_named_property(env, exports, "scan", fn);
  napi_create_uint32(env, PAIR_WORDS, &words);
  napi_set_named_property(env, exports, "pairWords", words);
  return exports;
}
