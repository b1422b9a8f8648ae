#pragma once
// libpq, loaded when a tool first connects to PostgreSQL (dlopen), not when it starts: an rbl
// tool on an SQLite file then maps none of libpq's twenty libraries (Kerberos, LDAP, GnuTLS…),
// which cost about 5 ms of CPU in the dynamic loader at every start (docs/PERFORMANCE.md,
// "rbl-check"). Only pg_connection.cpp calls libpq, through these pointers.

#include <libpq-fe.h>

namespace rbl::store::detail {

// Every libpq function rbl calls, once.
// clang-format off
#define RBL_LIBPQ_FUNCTIONS(X)                                                                  \
    X(PQclear) X(PQcmdTuples) X(PQconnectdb) X(PQdescribePrepared) X(PQerrorMessage)            \
    X(PQexec) X(PQexecParams) X(PQexecPrepared) X(PQfinish) X(PQgetisnull) X(PQgetlength)       \
    X(PQgetResult) X(PQgetvalue) X(PQntuples) X(PQparamtype) X(PQprepare) X(PQputCopyData)      \
    X(PQputCopyEnd) X(PQresultErrorField) X(PQresultErrorMessage) X(PQresultStatus)             \
    X(PQsetNoticeProcessor) X(PQstatus) X(PQtransactionStatus) X(PQuser)
// clang-format on

struct LibPq {
#define RBL_LIBPQ_POINTER(name) decltype(&::name) name = nullptr;
    RBL_LIBPQ_FUNCTIONS(RBL_LIBPQ_POINTER)
#undef RBL_LIBPQ_POINTER
};

/// libpq's functions, loaded on the first call (thread-safe); throws FailedError naming the
/// package to install when libpq.so.5 cannot be loaded or lacks one of them.
const LibPq& libpq();

}  // namespace rbl::store::detail
