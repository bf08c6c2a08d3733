/*
 * tls-cert.h -- certificates for the tests of TLS links, made at run time
 * with the OpenSSL API: a self-signed certificate (a CA of its own) for a
 * name, written as PEM.  Test code only.
 */
#ifndef TD_TEST_TLS_CERT_H
#define TD_TEST_TLS_CERT_H

#include <openssl/evp.h>
#include <openssl/x509.h>

/* A self-signed certificate of key for cn, with san as subjectAltName. */
X509	*tls_cert_make(EVP_PKEY *key, const char *cn, const char *san,
	    long serial);
/* Write it to path as PEM; 0, or -1. */
int	 tls_cert_write(X509 *x, const char *path);

#endif
