// SOCK_DESTROY of one TCP socket (what `ss -K` does), shared by the N-API addon (sock_diag.c) and
// the elevated helper (sock_destroy_main.c).
#ifndef PORTSCOPE_SOCK_DESTROY_H
#define PORTSCOPE_SOCK_DESTROY_H
#include <stdint.h>

// Destroys the TCP socket with this family (AF_INET/AF_INET6), local and remote address (4 or 16
// bytes, network order) and ports, but only while its socket cookie is still `cookie`: the kernel
// compares it, so a connection that was replaced by a new one on the same 4-tuple is not touched.
// Returns 0, or an errno: ENOENT (no such socket, or current kernels: another cookie on that
// 4-tuple), ESTALE (another cookie, older kernels),
// EPERM (no CAP_NET_ADMIN), EOPNOTSUPP (kernel without CONFIG_INET_DIAG_DESTROY), EINVAL.
int sock_destroy_tcp(int family, const uint8_t *local, uint16_t lport, const uint8_t *remote,
                     uint16_t rport, uint64_t cookie);

#endif
