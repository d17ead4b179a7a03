// SOCK_DESTROY: one inet_diag_req_v2 naming the socket by its 4-tuple and cookie, answered by one
// NLMSG_ERROR (0 = destroyed). See sock_destroy.h.
#define _GNU_SOURCE
#include "sock_destroy.h"

#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef SOCK_DESTROY
#define SOCK_DESTROY 21
#endif

int sock_destroy_tcp(int family, const uint8_t *local, uint16_t lport, const uint8_t *remote,
                     uint16_t rport, uint64_t cookie) {
  if (family != AF_INET && family != AF_INET6) return EINVAL;
  // ~0 is INET_DIAG_NOCOOKIE: "any socket on this 4-tuple". We only ever act on the one we saw.
  if (cookie == ~(uint64_t)0) return EINVAL;
  struct {
    struct nlmsghdr nlh;
    struct inet_diag_req_v2 r;
  } req;
  memset(&req, 0, sizeof req);
  req.nlh.nlmsg_len = sizeof req;
  req.nlh.nlmsg_type = SOCK_DESTROY;
  req.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
  req.nlh.nlmsg_seq = 1;
  req.r.sdiag_family = (uint8_t)family;
  req.r.sdiag_protocol = IPPROTO_TCP;
  req.r.idiag_states = 0xffffffffu;
  size_t alen = family == AF_INET ? 4 : 16;
  memcpy(req.r.id.idiag_src, local, alen);
  memcpy(req.r.id.idiag_dst, remote, alen);
  req.r.id.idiag_sport = htons(lport);
  req.r.id.idiag_dport = htons(rport);
  req.r.id.idiag_cookie[0] = (uint32_t)cookie;
  req.r.id.idiag_cookie[1] = (uint32_t)(cookie >> 32);

  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  if (fd < 0) return errno;
  struct sockaddr_nl nl = {.nl_family = AF_NETLINK};
  int err = 0;
  if (sendto(fd, &req, sizeof req, 0, (struct sockaddr *)&nl, sizeof nl) < 0) {
    err = errno;
    close(fd);
    return err;
  }
  char buf[1024] __attribute__((aligned(8)));
  for (;;) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      err = errno;
      break;
    }
    struct nlmsghdr *h = (struct nlmsghdr *)buf;
    if (n < (ssize_t)sizeof *h || !NLMSG_OK(h, (int)n) || h->nlmsg_type != NLMSG_ERROR ||
        h->nlmsg_len < NLMSG_LENGTH(sizeof(struct nlmsgerr))) {
      err = EPROTO;
      break;
    }
    struct nlmsgerr *e = NLMSG_DATA(h);
    err = -e->error;
    break;
  }
  close(fd);
  return err;
}
