// OpenSSL's libcrypto, for SHA-256 only (the EVP digest interface; SHA256_Init is deprecated in 3.0).
#include <openssl/evp.h>
