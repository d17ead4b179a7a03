// N-API addon: the kernel's socket tables through netlink sock_diag (inet_diag), the interface `ss`
// uses. Node has no AF_NETLINK socket, so this is the one piece of native code in Portscope.
//
// JS API (see sock-diag-addon.ts for the decoding side):
//   dump(tcpStates, udpStates, info, perFamily?, into?) -> Promise<{ records: Buffer, size, strings: string[], errors: number[] }>
//     `records` is `into` (a Buffer of the caller's) when the answer fits, else a new Buffer; its
//     first `size` bytes are this answer.
//     One dump per table (tcp4, tcp6, udp4, udp6) done off the main thread; TCP of both families
//     comes from one dump where the kernel allows it (unless perFamily), tagged tcp4/tcp6 all the same. The states are
//     idiag_states bit masks (1 << TCP_xxx): the kernel filters before anything is copied out.
//     `records` holds RECORD_WORDS uint32 per socket; addresses and device names are deduplicated
//     into `strings` (a busy table repeats a few addresses thousands of times), so crossing into JS
//     costs one Buffer plus a handful of strings instead of one object per socket.
//     `errors[i]` is 0 or the errno of table i (ENOENT for a kernel without IPv6 or udp_diag).
//   probe() -> number: 0 when TCP and UDP dumps work, else the errno (synchronous, cheap).
//   destroy(family, local, lport, remote, rport, cookie) -> number: SOCK_DESTROY of one TCP socket
//     (family 4|6, addresses as 4/16-byte Buffers, cookie a BigInt); 0 or the errno (sock_destroy.h).
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <net/if.h>
#include <netinet/in.h>
#include <node_api.h>

#include "sock_destroy.h"
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define RECORD_WORDS 20
// Record layout (uint32 words); keep in step with sock-diag-addon.ts.
enum {
  W_PROTO, W_FAMILY, W_STATE, W_FLAGS, W_LPORT, W_RPORT, W_LADDR, W_RADDR, W_INODE, W_UID,
  W_DEV, W_COOKIE_LO, W_COOKIE_HI, W_RTT, W_RTTVAR, W_ACKED_LO, W_ACKED_HI, W_RECV_LO, W_RECV_HI,
  W_TABLE,
};
#define F_V6ONLY_KNOWN 1u
#define F_V6ONLY 2u
#define F_TCP_INFO 4u

#define TABLES 4
#define STR_MAX 64

typedef struct {
  uint8_t key[20]; // family byte + 16 address bytes, or 0xff + ifindex for device names
  uint32_t used;
  uint32_t index;
} slot_t;

typedef struct {
  uint32_t states[2]; // TCP, UDP
  int info;
  int per_family; // never the one TCP dump of both families (tests compare the two)
  // Results.
  uint32_t *rec;
  size_t count, cap;
  char (*str)[STR_MAX];
  size_t nstr, strcap;
  slot_t *slots;
  size_t nslots;
  int errors[TABLES];
  int fatal;
  napi_ref into; // a Buffer of the caller's to copy the records into when they fit (or NULL)
  napi_deferred deferred;
  napi_async_work work;
} job_t;

static uint32_t hash_key(const uint8_t *k) {
  uint32_t h = 2166136261u;
  for (int i = 0; i < 20; i++) h = (h ^ k[i]) * 16777619u;
  return h;
}

static int grow_slots(job_t *j);

// Index of the string identified by `key` in the string table, adding it when new; -1 on ENOMEM.
// `format` writes the text only for a key not seen before: a busy table repeats a few addresses
// thousands of times, and formatting each of them anew cost more than the whole lookup.
static long intern(job_t *j, const uint8_t *key, void (*format)(const uint8_t *key, char *out)) {
  if (j->nstr * 2 >= j->nslots && grow_slots(j) != 0) return -1;
  size_t mask = j->nslots - 1;
  for (size_t i = hash_key(key) & mask;; i = (i + 1) & mask) {
    slot_t *s = &j->slots[i];
    if (!s->used) {
      if (j->nstr == j->strcap) {
        size_t cap = j->strcap ? j->strcap * 2 : 64;
        void *p = realloc(j->str, cap * STR_MAX);
        if (!p) return -1;
        j->str = p;
        j->strcap = cap;
      }
      memcpy(s->key, key, 20);
      s->used = 1;
      s->index = (uint32_t)j->nstr;
      format(key, j->str[j->nstr]);
      return (long)j->nstr++;
    }
    if (memcmp(s->key, key, 20) == 0) return s->index;
  }
}

static int grow_slots(job_t *j) {
  size_t n = j->nslots ? j->nslots * 2 : 256;
  slot_t *old = j->slots;
  size_t oldn = j->nslots;
  j->slots = calloc(n, sizeof(slot_t));
  if (!j->slots) {
    j->slots = old;
    return -1;
  }
  j->nslots = n;
  for (size_t k = 0; k < oldn; k++) {
    if (!old[k].used) continue;
    for (size_t i = hash_key(old[k].key) & (n - 1);; i = (i + 1) & (n - 1)) {
      if (!j->slots[i].used) {
        j->slots[i] = old[k];
        break;
      }
    }
  }
  free(old);
  return 0;
}

// Address text exactly as the /proc/net decoder writes it (RFC 5952, IPv4-mapped as ::ffff:a.b.c.d),
// so both sources give identical rows; glibc's inet_ntop differs on ::a.b.c.d forms.
static void format_addr(int family, const uint8_t *b, char *out) {
  if (family == AF_INET) {
    sprintf(out, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
    return;
  }
  int mapped = b[10] == 0xff && b[11] == 0xff;
  for (int i = 0; i < 10 && mapped; i++) mapped = b[i] == 0;
  if (mapped) {
    sprintf(out, "::ffff:%u.%u.%u.%u", b[12], b[13], b[14], b[15]);
    return;
  }
  unsigned g[8];
  for (int i = 0; i < 8; i++) g[i] = ((unsigned)b[2 * i] << 8) | b[2 * i + 1];
  int best = -1, bestLen = 0;
  for (int i = 0; i < 8;) {
    if (g[i] != 0) {
      i++;
      continue;
    }
    int k = i;
    while (k < 8 && g[k] == 0) k++;
    if (k - i > bestLen) {
      best = i;
      bestLen = k - i;
    }
    i = k;
  }
  char *p = out;
  if (bestLen < 2) best = -1;
  for (int i = 0; i < 8; i++) {
    if (i == best) {
      p += sprintf(p, "::");
      i += bestLen - 1;
      continue;
    }
    if (i > 0 && !(best >= 0 && i == best + bestLen)) *p++ = ':';
    p += sprintf(p, "%x", g[i]);
  }
  *p = 0;
}

// key[0] is the family, key[1..] the address bytes (STR_MAX > INET6_ADDRSTRLEN + "::ffff:").
static void format_addr_key(const uint8_t *key, char *out) {
  format_addr(key[0], key + 1, out);
}

static long intern_addr(job_t *j, int family, const uint32_t *addr) {
  uint8_t key[20] = {0};
  key[0] = (uint8_t)family;
  memcpy(key + 1, addr, family == AF_INET ? 4 : 16);
  return intern(j, key, format_addr_key);
}

// key[0] is 0xff, key[1..4] the interface index.
static void format_dev_key(const uint8_t *key, char *out) {
  uint32_t ifindex;
  memcpy(&ifindex, key + 1, 4);
  char name[IF_NAMESIZE + 1];
  if (!if_indextoname(ifindex, name)) snprintf(name, sizeof name, "if%u", ifindex);
  snprintf(out, STR_MAX, "%s", name);
}

static long intern_dev(job_t *j, uint32_t ifindex) {
  uint8_t key[20] = {0};
  key[0] = 0xff;
  memcpy(key + 1, &ifindex, 4);
  return intern(j, key, format_dev_key);
}

static int add_record(job_t *j, int table, int protocol, const struct inet_diag_msg *m, int len) {
  if (j->count == j->cap) {
    size_t cap = j->cap ? j->cap * 2 : 1024;
    void *p = realloc(j->rec, cap * RECORD_WORDS * sizeof(uint32_t));
    if (!p) return ENOMEM;
    j->rec = p;
    j->cap = cap;
  }
  uint32_t *r = j->rec + j->count * RECORD_WORDS;
  memset(r, 0, RECORD_WORDS * sizeof(uint32_t));
  r[W_PROTO] = (uint32_t)protocol;
  r[W_FAMILY] = m->idiag_family;
  r[W_STATE] = m->idiag_state;
  r[W_LPORT] = ntohs(m->id.idiag_sport);
  r[W_RPORT] = ntohs(m->id.idiag_dport);
  long la = intern_addr(j, m->idiag_family, m->id.idiag_src);
  long ra = intern_addr(j, m->idiag_family, m->id.idiag_dst);
  if (la < 0 || ra < 0) return ENOMEM;
  r[W_LADDR] = (uint32_t)la;
  r[W_RADDR] = (uint32_t)ra;
  r[W_INODE] = m->idiag_inode;
  r[W_UID] = m->idiag_uid;
  if (m->id.idiag_if) {
    long d = intern_dev(j, m->id.idiag_if);
    if (d < 0) return ENOMEM;
    r[W_DEV] = (uint32_t)d + 1;
  }
  r[W_COOKIE_LO] = m->id.idiag_cookie[0];
  r[W_COOKIE_HI] = m->id.idiag_cookie[1];
  r[W_TABLE] = (uint32_t)table;
  // Attributes: v6only comes with every full IPv6 socket; tcp_info when asked for.
  int alen = len - (int)NLMSG_LENGTH(sizeof(*m));
  for (struct rtattr *a = (struct rtattr *)(m + 1); RTA_OK(a, alen); a = RTA_NEXT(a, alen)) {
    if (a->rta_type == INET_DIAG_SKV6ONLY && RTA_PAYLOAD(a) >= 1) {
      r[W_FLAGS] |= F_V6ONLY_KNOWN | (*(uint8_t *)RTA_DATA(a) ? F_V6ONLY : 0);
    } else if (a->rta_type == INET_DIAG_INFO &&
               RTA_PAYLOAD(a) >= offsetof(struct tcp_info, tcpi_bytes_received) + 8) {
      struct tcp_info ti;
      memset(&ti, 0, sizeof ti);
      size_t n = RTA_PAYLOAD(a) < sizeof ti ? RTA_PAYLOAD(a) : sizeof ti;
      memcpy(&ti, RTA_DATA(a), n);
      r[W_FLAGS] |= F_TCP_INFO;
      r[W_RTT] = ti.tcpi_rtt;
      r[W_RTTVAR] = ti.tcpi_rttvar;
      r[W_ACKED_LO] = (uint32_t)ti.tcpi_bytes_acked;
      r[W_ACKED_HI] = (uint32_t)(ti.tcpi_bytes_acked >> 32);
      r[W_RECV_LO] = (uint32_t)ti.tcpi_bytes_received;
      r[W_RECV_HI] = (uint32_t)(ti.tcpi_bytes_received >> 32);
    }
  }
  j->count++;
  return 0;
}

// One SOCK_DIAG_BY_FAMILY dump on `fd`. Returns 0 or an errno; `j` may be NULL (probe).
// `both` asks for TCP of both families in one walk of the kernel's hash tables, through the older
// TCPDIAG_GETSOCK request (the kernel answers it with AF_UNSPEC: every family); the records are the
// same inet_diag_msg. Each per-family dump walks every TCP socket of the namespace to filter by
// family, so one walk instead of two halves that part of the kernel's cost.
static int dump_table(int fd, job_t *j, int table, int family, int protocol, uint32_t states, int info,
                      int both) {
  union {
    struct {
      struct nlmsghdr nlh;
      struct inet_diag_req_v2 r;
    } v2;
    struct {
      struct nlmsghdr nlh;
      struct inet_diag_req r;
    } v1;
  } req;
  memset(&req, 0, sizeof req);
  uint32_t seq = (uint32_t)(table + 1);
  size_t reqlen;
  if (both) {
    req.v1.nlh.nlmsg_len = sizeof req.v1;
    req.v1.nlh.nlmsg_type = TCPDIAG_GETSOCK;
    req.v1.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    req.v1.nlh.nlmsg_seq = seq;
    req.v1.r.idiag_family = AF_INET;
    req.v1.r.idiag_states = states;
    if (info) req.v1.r.idiag_ext = 1 << (INET_DIAG_INFO - 1);
    reqlen = sizeof req.v1;
  } else {
    req.v2.nlh.nlmsg_len = sizeof req.v2;
    req.v2.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    req.v2.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    req.v2.nlh.nlmsg_seq = seq;
    req.v2.r.sdiag_family = (uint8_t)family;
    req.v2.r.sdiag_protocol = (uint8_t)protocol;
    req.v2.r.idiag_states = states;
    if (info && protocol == IPPROTO_TCP) req.v2.r.idiag_ext = 1 << (INET_DIAG_INFO - 1);
    reqlen = sizeof req.v2;
  }
  struct sockaddr_nl nl = {.nl_family = AF_NETLINK};
  struct iovec iov = {&req, reqlen};
  struct msghdr msg = {.msg_name = &nl, .msg_namelen = sizeof nl, .msg_iov = &iov, .msg_iovlen = 1};
  for (;;) {
    if (sendmsg(fd, &msg, 0) >= 0) break;
    if (errno != EINTR) return errno;
  }
  // The kernel fills at most ~32 KiB per recv for a dump; a bigger buffer is never used.
  static __thread char buf[64 * 1024] __attribute__((aligned(8)));
  for (;;) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    if (n == 0) return EPIPE;
    int left = (int)n;
    for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
      if (h->nlmsg_seq != seq) continue; // a stale reply of an earlier request
      if (h->nlmsg_type == NLMSG_DONE) {
        // A dump interrupted by a table change still ends in DONE; the data is as good as /proc's.
        return 0;
      }
      if (h->nlmsg_type == NLMSG_ERROR) {
        struct nlmsgerr *e = NLMSG_DATA(h);
        if (h->nlmsg_len < NLMSG_LENGTH(sizeof *e)) return EPROTO;
        return e->error ? -e->error : 0;
      }
      if (h->nlmsg_type != (both ? TCPDIAG_GETSOCK : SOCK_DIAG_BY_FAMILY) || !j) continue;
      if (h->nlmsg_len < NLMSG_LENGTH(sizeof(struct inet_diag_msg))) continue;
      struct inet_diag_msg *m = NLMSG_DATA(h);
      int err = add_record(j, both && m->idiag_family == AF_INET6 ? 1 : table, protocol, m, (int)h->nlmsg_len);
      if (err) return err;
    }
  }
}

static int open_diag(void) {
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  return fd < 0 ? -errno : fd;
}

static const struct {
  int family, protocol;
} TABLE_DEF[TABLES] = {
    {AF_INET, IPPROTO_TCP}, {AF_INET6, IPPROTO_TCP}, {AF_INET, IPPROTO_UDP}, {AF_INET6, IPPROTO_UDP}};

// 1 when this kernel answers TCPDIAG_GETSOCK (both families in one dump), 0 when it refused once
// (every dump is then per family), -1 before the first try. Dumps run on worker threads.
static int both_families = -1;

static void execute(napi_env env, void *data) {
  (void)env;
  job_t *j = data;
  int fd = open_diag();
  if (fd < 0) {
    j->fatal = -fd;
    return;
  }
  int tcp_done = 0;
  for (int t = 0; t < TABLES; t++) {
    if (t == 1 && tcp_done) continue; // tcp6 came with the one TCP dump of both families
    if (t == 0 && !j->per_family && __atomic_load_n(&both_families, __ATOMIC_RELAXED) != 0) {
      size_t before = j->count;
      int err = dump_table(fd, j, 0, AF_INET, IPPROTO_TCP, j->states[0], j->info, 1);
      if (err == 0) {
        __atomic_store_n(&both_families, 1, __ATOMIC_RELAXED);
        tcp_done = 1;
        continue;
      }
      if (err == ENOMEM) {
        j->fatal = ENOMEM;
        break;
      }
      // Refused (or failed half-way): drop what it gave and ask per family, now and from now on.
      j->count = before;
      __atomic_store_n(&both_families, 0, __ATOMIC_RELAXED);
      close(fd);
      fd = open_diag();
      if (fd < 0) {
        j->fatal = -fd;
        return;
      }
    }
    // Each table gets its own socket when one failed half-way: a failed dump may leave replies queued.
    j->errors[t] = dump_table(fd, j, t, TABLE_DEF[t].family, TABLE_DEF[t].protocol,
                              j->states[TABLE_DEF[t].protocol == IPPROTO_UDP], j->info, 0);
    if (j->errors[t] == ENOMEM) {
      j->fatal = ENOMEM;
      break;
    }
    if (j->errors[t] != 0 && t + 1 < TABLES) {
      close(fd);
      fd = open_diag();
      if (fd < 0) {
        j->fatal = -fd;
        return;
      }
    }
  }
  close(fd);
}

static void free_job(job_t *j) {
  free(j->rec);
  free(j->str);
  free(j->slots);
  free(j);
}

// The answer of a finished job: the result object, or NULL with `*err` set to the Error to raise.
static napi_value result_of(napi_env env, job_t *j, int failed, napi_value *err) {
  napi_value result, v;
  if (failed || j->fatal) {
    char text[96];
    snprintf(text, sizeof text, "sock_diag: %s", strerror(j->fatal ? j->fatal : EIO));
    napi_value msg;
    napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &msg);
    napi_create_error(env, NULL, msg, err);
    napi_value code;
    napi_create_int32(env, j->fatal, &code);
    napi_set_named_property(env, *err, "errno", code);
    return NULL;
  }
  napi_value records, strings, errors;
  void *bytes;
  size_t size = j->count * RECORD_WORDS * sizeof(uint32_t);
  // Into the caller's buffer when it is big enough (a poll every second at 25,000 sockets would
  // otherwise hand V8 2 MB of new external memory each time, and V8 answers that with full
  // collections); else a new Buffer. `size` says how much of it is this answer.
  napi_value into = NULL;
  void *intoData = NULL;
  size_t intoLen = 0;
  if (j->into && napi_get_reference_value(env, j->into, &into) == napi_ok && into &&
      napi_get_buffer_info(env, into, &intoData, &intoLen) == napi_ok && intoLen >= size) {
    if (size) memcpy(intoData, j->rec, size);
    records = into;
  } else {
    napi_create_buffer_copy(env, size, j->rec ? (void *)j->rec : (void *)"", &bytes, &records);
  }
  napi_value sizeValue;
  napi_create_uint32(env, (uint32_t)size, &sizeValue);
  napi_create_array_with_length(env, j->nstr, &strings);
  for (size_t i = 0; i < j->nstr; i++) {
    napi_create_string_latin1(env, j->str[i], NAPI_AUTO_LENGTH, &v);
    napi_set_element(env, strings, (uint32_t)i, v);
  }
  napi_create_array_with_length(env, TABLES, &errors);
  for (int t = 0; t < TABLES; t++) {
    napi_create_int32(env, j->errors[t], &v);
    napi_set_element(env, errors, (uint32_t)t, v);
  }
  napi_create_object(env, &result);
  napi_set_named_property(env, result, "records", records);
  napi_set_named_property(env, result, "size", sizeValue);
  napi_set_named_property(env, result, "strings", strings);
  napi_set_named_property(env, result, "errors", errors);
  return result;
}

static void complete(napi_env env, napi_status status, void *data) {
  job_t *j = data;
  napi_value err = NULL;
  napi_value result = result_of(env, j, status != napi_ok, &err);
  if (result) napi_resolve_deferred(env, j->deferred, result);
  else napi_reject_deferred(env, j->deferred, err);
  if (j->into) napi_delete_reference(env, j->into);
  napi_delete_async_work(env, j->work);
  free_job(j);
}

// The arguments of dump() and dumpSync(): (tcpStates, udpStates, tcpInfo, perFamily, into).
static job_t *job_from_args(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  uint32_t tcpStates = 0xffffffffu, udpStates = 0xffffffffu;
  bool withInfo = false;
  if (argc > 0) napi_get_value_uint32(env, argv[0], &tcpStates);
  if (argc > 1) napi_get_value_uint32(env, argv[1], &udpStates);
  if (argc > 2) napi_get_value_bool(env, argv[2], &withInfo);
  bool perFamily = false;
  if (argc > 3) napi_get_value_bool(env, argv[3], &perFamily);
  job_t *j = calloc(1, sizeof *j);
  if (!j) {
    napi_throw_error(env, NULL, "sock_diag: out of memory");
    return NULL;
  }
  j->states[0] = tcpStates;
  j->states[1] = udpStates;
  j->info = withInfo;
  j->per_family = perFamily;
  bool isBuffer = false;
  if (argc > 4 && napi_is_buffer(env, argv[4], &isBuffer) == napi_ok && isBuffer)
    napi_create_reference(env, argv[4], 1, &j->into);
  return j;
}

static napi_value js_dump(napi_env env, napi_callback_info info) {
  job_t *j = job_from_args(env, info);
  if (!j) return NULL;
  napi_value promise, name;
  napi_create_promise(env, &j->deferred, &promise);
  napi_create_string_utf8(env, "sock_diag", NAPI_AUTO_LENGTH, &name);
  napi_create_async_work(env, NULL, name, execute, complete, j, &j->work);
  napi_queue_async_work(env, j->work);
  return promise;
}

// The same dump on the calling thread: for a small table, where handing the work to the thread
// pool and its answer back (a wake-up of a worker, then of this thread) costs more than the dump.
static napi_value js_dump_sync(napi_env env, napi_callback_info info) {
  job_t *j = job_from_args(env, info);
  if (!j) return NULL;
  execute(env, j);
  napi_value err = NULL;
  napi_value result = result_of(env, j, 0, &err);
  if (j->into) napi_delete_reference(env, j->into);
  free_job(j);
  if (!result) napi_throw(env, err);
  return result;
}

static napi_value js_probe(napi_env env, napi_callback_info info) {
  (void)info;
  int fd = open_diag(), err = 0;
  if (fd < 0) err = -fd;
  // UDP sockets are never in LISTEN: both dumps answer with no rows, or with the errno that says
  // this kernel cannot dump the table (no udp_diag module).
  for (int t = 0; t < TABLES && !err; t += 2)
    err = dump_table(fd, NULL, t, TABLE_DEF[t].family, TABLE_DEF[t].protocol,
                     t == 0 ? 0 : (1u << 10), 0, 0);
  if (fd >= 0) close(fd);
  napi_value v;
  napi_create_int32(env, err, &v);
  return v;
}

static napi_value js_destroy(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6], v;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  uint32_t family = 0, lport = 0, rport = 0;
  uint64_t cookie = 0;
  bool lossless = false;
  void *local = NULL, *remote = NULL;
  size_t llen = 0, rlen = 0;
  int err = EINVAL;
  if (argc == 6 && napi_get_value_uint32(env, argv[0], &family) == napi_ok &&
      napi_get_buffer_info(env, argv[1], &local, &llen) == napi_ok &&
      napi_get_value_uint32(env, argv[2], &lport) == napi_ok &&
      napi_get_buffer_info(env, argv[3], &remote, &rlen) == napi_ok &&
      napi_get_value_uint32(env, argv[4], &rport) == napi_ok &&
      napi_get_value_bigint_uint64(env, argv[5], &cookie, &lossless) == napi_ok && lossless &&
      (family == 4 || family == 6) && llen == (family == 4 ? 4u : 16u) && rlen == llen &&
      lport >= 1 && lport <= 65535 && rport >= 1 && rport <= 65535) {
    err = sock_destroy_tcp(family == 4 ? AF_INET : AF_INET6, local, (uint16_t)lport, remote,
                           (uint16_t)rport, cookie);
  }
  napi_create_int32(env, err, &v);
  return v;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "dump", NAPI_AUTO_LENGTH, js_dump, NULL, &fn);
  napi_set_named_property(env, exports, "dump", fn);
  napi_create_function(env, "dumpSync", NAPI_AUTO_LENGTH, js_dump_sync, NULL, &fn);
  napi_set_named_property(env, exports, "dumpSync", fn);
  napi_create_function(env, "probe", NAPI_AUTO_LENGTH, js_probe, NULL, &fn);
  napi_set_named_property(env, exports, "probe", fn);
  napi_create_function(env, "destroy", NAPI_AUTO_LENGTH, js_destroy, NULL, &fn);
  napi_set_named_property(env, exports, "destroy", fn);
  napi_value words;
  napi_create_uint32(env, RECORD_WORDS, &words);
  napi_set_named_property(env, exports, "recordWords", words);
  return exports;
}
