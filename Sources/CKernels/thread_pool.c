// A persistent thread pool for the kernels: workers are started once and spin briefly between
// jobs (decode issues a job every few microseconds), then sleep on a condition variable.
// One job at a time: a caller that finds the pool busy (another session, or a nested call)
// runs its job inline instead of waiting.
#include "CKernels.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#if defined(__x86_64__)
#include <immintrin.h>
#define PKV_PAUSE() _mm_pause()
#else
#define PKV_PAUSE() ((void)0)
#endif

#define PKV_MAX_THREADS 256
#define PKV_SPINS 20000

static struct {
    pthread_mutex_t submit;          // held by the caller for the whole job
    pthread_mutex_t sleep_lock;
    pthread_cond_t wake;
    atomic_uint_fast64_t generation; // bumped once per job
    atomic_int pending;              // workers still running the current job
    atomic_int sleepers;
    atomic_int stop;
    int threads;                     // including the caller
    pthread_t workers[PKV_MAX_THREADS];
    pkv_task_fn fn;
    void *ctx;
    int64_t n;
    uint_fast64_t start_generation;
} pool = {
    .submit = PTHREAD_MUTEX_INITIALIZER,
    .sleep_lock = PTHREAD_MUTEX_INITIALIZER,
    .wake = PTHREAD_COND_INITIALIZER,
    .threads = 1,
};

static pthread_mutex_t resize_lock = PTHREAD_MUTEX_INITIALIZER;

static inline void run_part(int part, int parts) {
    int64_t begin = pool.n * part / parts, end = pool.n * (part + 1) / parts;
    if (begin < end) pool.fn(pool.ctx, begin, end);
}

static void *worker_main(void *arg) {
    int index = (int)(intptr_t)arg;
    // The generation when the pool was resized (no job can start before set_threads returns);
    // reading it here instead could skip a job submitted before this thread first ran.
    uint_fast64_t seen = pool.start_generation;
    for (;;) {
        int spins = 0;
        uint_fast64_t g;
        while ((g = atomic_load(&pool.generation)) == seen && !atomic_load(&pool.stop)) {
            if (++spins < PKV_SPINS) { PKV_PAUSE(); continue; }
            pthread_mutex_lock(&pool.sleep_lock);
            atomic_fetch_add(&pool.sleepers, 1);
            while (atomic_load(&pool.generation) == seen && !atomic_load(&pool.stop))
                pthread_cond_wait(&pool.wake, &pool.sleep_lock);
            atomic_fetch_sub(&pool.sleepers, 1);
            pthread_mutex_unlock(&pool.sleep_lock);
            spins = 0;
        }
        if (atomic_load(&pool.stop)) return NULL;
        seen = g;
        run_part(index, pool.threads);
        atomic_fetch_sub(&pool.pending, 1);
    }
}

static void stop_workers(void) {
    atomic_store(&pool.stop, 1);
    pthread_mutex_lock(&pool.sleep_lock);
    pthread_cond_broadcast(&pool.wake);
    pthread_mutex_unlock(&pool.sleep_lock);
    for (int i = 1; i < pool.threads; i++) pthread_join(pool.workers[i], NULL);
    atomic_store(&pool.stop, 0);
    pool.threads = 1;
}

int pkv_pool_set_threads(int threads) {
    if (threads < 1) threads = 1;
    if (threads > PKV_MAX_THREADS) threads = PKV_MAX_THREADS;
    pthread_mutex_lock(&resize_lock);
    pthread_mutex_lock(&pool.submit);
    if (threads != pool.threads) {
        stop_workers();
        pool.start_generation = atomic_load(&pool.generation);
        int started = 1;
        for (int i = 1; i < threads; i++) {
            if (pthread_create(&pool.workers[i], NULL, worker_main, (void *)(intptr_t)i) != 0) break;
            started++;
        }
        pool.threads = started;
    }
    int result = pool.threads;
    pthread_mutex_unlock(&pool.submit);
    pthread_mutex_unlock(&resize_lock);
    return result;
}

int pkv_pool_threads(void) { return pool.threads; }

void pkv_parallel_for(int64_t n, pkv_task_fn fn, void *ctx) {
    if (n <= 0) return;
    if (pool.threads == 1 || n == 1 || pthread_mutex_trylock(&pool.submit) != 0) {
        fn(ctx, 0, n);
        return;
    }
    int parts = pool.threads;
    pool.fn = fn;
    pool.ctx = ctx;
    pool.n = n;
    atomic_store(&pool.pending, parts - 1);
    atomic_fetch_add(&pool.generation, 1);
    if (atomic_load(&pool.sleepers) > 0) {
        pthread_mutex_lock(&pool.sleep_lock);
        pthread_cond_broadcast(&pool.wake);
        pthread_mutex_unlock(&pool.sleep_lock);
    }
    run_part(0, parts);
    while (atomic_load(&pool.pending) > 0) PKV_PAUSE();
    pthread_mutex_unlock(&pool.submit);
}
