/*
 * tls-cert.c -- certificates for the tests of TLS links (tls-cert.h).
 */
#include <stdio.h>

#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "tls-cert.h"

static int
tls_cert_ext(X509 *x, X509V3_CTX *v3, int nid, const char *value)
{
	X509_EXTENSION	*ext = X509V3_EXT_conf_nid(NULL, v3, nid, value);

	if (ext == NULL)
		return -1;
	X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	return 0;
}

X509 *
tls_cert_make(EVP_PKEY *key, const char *cn, const char *san, long serial)
{
	X509		*x = X509_new();
	X509_NAME	*n;
	X509V3_CTX	 v3;

	if (x == NULL || X509_set_version(x, 2) != 1)
		goto fail;
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
	X509_gmtime_adj(X509_getm_notBefore(x), -3600);
	X509_gmtime_adj(X509_getm_notAfter(x), 24 * 3600);
	n = X509_get_subject_name(x);
	if (X509_set_pubkey(x, key) != 1 || X509_NAME_add_entry_by_txt(n,
	    "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0) != 1 ||
	    X509_set_issuer_name(x, n) != 1)
		goto fail;
	X509V3_set_ctx_nodb(&v3);
	X509V3_set_ctx(&v3, x, x, NULL, NULL, 0);
	if (tls_cert_ext(x, &v3, NID_subject_alt_name, san) == -1 ||
	    tls_cert_ext(x, &v3, NID_basic_constraints,
	    "critical,CA:TRUE") == -1 || X509_sign(x, key, EVP_sha256()) <= 0)
		goto fail;
	return x;
fail:
	X509_free(x);
	return NULL;
}

int
tls_cert_write(X509 *x, const char *path)
{
	FILE	*f = fopen(path, "w");
	int	 ok;

	if (f == NULL)
		return -1;
	ok = PEM_write_X509(f, x) == 1;
	return fclose(f) == 0 && ok ? 0 : -1;
}
