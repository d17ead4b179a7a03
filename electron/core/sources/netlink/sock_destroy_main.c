// portscope-sock-destroy: the program an administrator prompt (pkexec) runs to close one TCP
// connection when Portscope itself lacks CAP_NET_ADMIN. It takes validated numbers only, never a
// name or any text a shell or a parser could read differently:
//   portscope-sock-destroy <4|6> <local-address-hex> <local-port> <remote-address-hex> <remote-port> <cookie>
// addresses as 8 (IPv4) or 32 (IPv6) lowercase hex digits in network order, ports 1-65535 and the
// cookie in decimal. Exit 0 = destroyed, 2 = no such socket, 3 = the 4-tuple now has another
// cookie (a new connection: not touched), 4 = bad arguments, 1 = any other failure (stderr says).
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "sock_destroy.h"

static int hex_bytes(const char *s, uint8_t *out, size_t n) {
  if (strlen(s) != n * 2) return -1;
  for (size_t i = 0; i < n * 2; i++) {
    char c = s[i];
    int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (v < 0) return -1;
    if (i % 2 == 0) out[i / 2] = (uint8_t)(v << 4);
    else out[i / 2] |= (uint8_t)v;
  }
  return 0;
}

// Decimal digits only (no sign, no spaces, no leading zero), at most `max`; -1 otherwise.
static int decimal(const char *s, uint64_t max, uint64_t *out) {
  size_t len = strlen(s);
  if (len == 0 || len > 20 || (len > 1 && s[0] == '0')) return -1;
  uint64_t v = 0;
  for (size_t i = 0; i < len; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    uint64_t d = (uint64_t)(s[i] - '0');
    if (v > (UINT64_MAX - d) / 10) return -1;
    v = v * 10 + d;
  }
  if (v > max) return -1;
  *out = v;
  return 0;
}

int main(int argc, char **argv) {
  uint8_t local[16] = {0}, remote[16] = {0};
  uint64_t lport, rport, cookie;
  if (argc != 7 || (strcmp(argv[1], "4") != 0 && strcmp(argv[1], "6") != 0)) {
    fprintf(stderr, "usage: portscope-sock-destroy <4|6> <local-hex> <lport> <remote-hex> <rport> <cookie>\n");
    return 4;
  }
  int v6 = argv[1][0] == '6';
  size_t n = v6 ? 16 : 4;
  if (hex_bytes(argv[2], local, n) || hex_bytes(argv[4], remote, n) || decimal(argv[3], 65535, &lport) ||
      decimal(argv[5], 65535, &rport) || lport == 0 || rport == 0 ||
      decimal(argv[6], UINT64_MAX - 1, &cookie)) {
    fprintf(stderr, "portscope-sock-destroy: invalid argument\n");
    return 4;
  }
  int err = sock_destroy_tcp(v6 ? AF_INET6 : AF_INET, local, (uint16_t)lport, remote, (uint16_t)rport, cookie);
  if (err == 0) return 0;
  if (err == ENOENT) return 2;
  if (err == ESTALE) return 3;
  fprintf(stderr, "portscope-sock-destroy: %s\n", strerror(err));
  return 1;
}
