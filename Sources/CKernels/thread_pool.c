// A persistent thread pool for the kernels. Workers start once, spin briefly between jobs
// (decode issues one every few microseconds), then sleep on a condition variable.
// A job is cut into a few parts per thread that anyone may claim, the caller included, so a
// worker the OS has descheduled (2 vCPUs shared with OpenBLAS, or another process) delays
// nothing: the caller runs the parts nobody claimed and waits only for parts being run.
// One job at a time: a caller that finds the pool busy (another session, or a nested call)
// runs its job inline instead of waiting. A caller whose parts are done also spins briefly,
// then sleeps until the last part ends, so it never holds a core a slow worker needs.
#include "CKernels.h"
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#if defined(__x86_64__)
#include <immintrin.h>
#define PKV_PAUSE() _mm_pause()
#else
#define PKV_PAUSE() ((void)0)
#endif

#define PKV_MAX_THREADS 64
#define PKV_PARTS_PER_THREAD 4
#define PKV_MAX_PARTS (PKV_MAX_THREADS * PKV_PARTS_PER_THREAD)
#define PKV_SPINS 4000

static struct {
    pthread_mutex_t submit;          // held by the caller for the whole job
    pthread_mutex_t sleep_lock;
    pthread_cond_t wake;
    atomic_uint_fast64_t generation; // bumped once per job
    // 1 = taken. Every slot starts taken and only a job's caller frees its own parts' slots (after
    // resetting `done`), so a late worker of the previous job can never claim a slot past them.
    atomic_int claimed[PKV_MAX_PARTS];
    atomic_int done;                 // parts finished in the current job
    atomic_int sleepers;
    atomic_int caller_sleeping;      // the caller waits on `finished` for the last part
    pthread_mutex_t finish_lock;
    pthread_cond_t finished;
    atomic_int stop;
    int threads;                     // including the caller
    pthread_t workers[PKV_MAX_THREADS];
    uint_fast64_t start_generation;
    // The current job; written before its parts are reset, read after a part is claimed.
    pkv_task_fn fn;
    void *ctx;
    int64_t n;
    atomic_int parts;                // read by late workers before they claim: atomic (relaxed)
} pool = {
    .claimed = { [0 ... PKV_MAX_PARTS - 1] = 1 },
    .submit = PTHREAD_MUTEX_INITIALIZER,
    .sleep_lock = PTHREAD_MUTEX_INITIALIZER,
    .wake = PTHREAD_COND_INITIALIZER,
    .finish_lock = PTHREAD_MUTEX_INITIALIZER,
    .finished = PTHREAD_COND_INITIALIZER,
    .threads = 1,
};

// The nice value the process started with, read at load, before any thread exists. libdispatch
// gives its worker threads the nice of their QoS (0 for the default), so under `nice -n 19
// pyramidkv worker` the Swift tasks that call the kernels ran at 0 beside pool workers at 19:
// the callers spun while the workers waited for a core (pkv_parallel_for took 56 % of a sweep
// worker's cycles against 3 % with one nice). Every thread that runs kernels takes this value.
static int process_nice;

__attribute__((constructor)) static void record_process_nice(void) {
    errno = 0;
    const int value = getpriority(PRIO_PROCESS, 0);
    process_nice = errno == 0 ? value : 0;
}

int pkv_process_nice(void) { return process_nice; }

static _Thread_local int nice_adopted;
// The lowest and highest nice the adopting threads ended up at (what the bench reports).
static atomic_int adopted_nice_lo = INT_MAX, adopted_nice_hi = INT_MIN;

// Once per thread: its nice set to the process's (lowering a priority is always allowed; a raise
// the process may not make is left as it is).
void pkv_adopt_process_nice(void) {
    if (nice_adopted) return;
    nice_adopted = 1;
    const id_t tid = (id_t)syscall(SYS_gettid);
    errno = 0;
    const int now = getpriority(PRIO_PROCESS, tid);
    if (errno == 0 && now != process_nice) (void)setpriority(PRIO_PROCESS, tid, process_nice);
    errno = 0;
    const int after = getpriority(PRIO_PROCESS, tid);
    if (errno != 0) return;
    int lo = atomic_load(&adopted_nice_lo), hi = atomic_load(&adopted_nice_hi);
    while (after < lo && !atomic_compare_exchange_weak(&adopted_nice_lo, &lo, after)) {}
    while (after > hi && !atomic_compare_exchange_weak(&adopted_nice_hi, &hi, after)) {}
}

int pkv_kernel_threads_nice(int *lo, int *hi) {
    *lo = atomic_load(&adopted_nice_lo);
    *hi = atomic_load(&adopted_nice_hi);
    return *lo <= *hi;
}

static pthread_mutex_t resize_lock = PTHREAD_MUTEX_INITIALIZER;

// 1..threads-1 on the workers, 0 on every other thread (a job's caller among them).
static _Thread_local int worker_index;

int pkv_pool_worker_index(void) { return worker_index; }

static inline int job_parts(void) { return atomic_load_explicit(&pool.parts, memory_order_relaxed); }

// Claims and runs unclaimed parts, starting at `first` and going round once.
static void run_parts(int first) {
    int parts = job_parts();
    for (int k = 0; k < parts; k++) {
        int p = (first + k) % parts, expected = 0;
        if (!atomic_compare_exchange_strong(&pool.claimed[p], &expected, 1)) continue;
        // The claim saw the caller's reset, so the job's fields below are this job's.
        const int now = job_parts();
        int64_t begin = pool.n * p / now, end = pool.n * (p + 1) / now;
        if (begin < end) pool.fn(pool.ctx, begin, end);
        // The last part wakes a caller that went to sleep (it checks `done` again under the lock).
        if (atomic_fetch_add(&pool.done, 1) + 1 >= now && atomic_load(&pool.caller_sleeping)) {
            pthread_mutex_lock(&pool.finish_lock);
            pthread_cond_signal(&pool.finished);
            pthread_mutex_unlock(&pool.finish_lock);
        }
    }
}

static void *worker_main(void *arg) {
    int index = (int)(intptr_t)arg;
    worker_index = index;
    pkv_adopt_process_nice();
    // The generation when the pool was resized: no job starts before set_threads returns.
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
        run_parts(index * PKV_PARTS_PER_THREAD);
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

// Spins while the other parts are running, then sleeps until the last one ends.
static atomic_long caller_sleeps;

int64_t pkv_pool_caller_sleeps(void) { return atomic_load(&caller_sleeps); }

static void wait_for_parts(void) {
    const int parts = job_parts();
    for (int spins = 0; atomic_load(&pool.done) < parts; spins++) {
        if (spins < PKV_SPINS) { PKV_PAUSE(); continue; }
        atomic_fetch_add(&caller_sleeps, 1);
        pthread_mutex_lock(&pool.finish_lock);
        atomic_store(&pool.caller_sleeping, 1);
        while (atomic_load(&pool.done) < parts) pthread_cond_wait(&pool.finished, &pool.finish_lock);
        atomic_store(&pool.caller_sleeping, 0);
        pthread_mutex_unlock(&pool.finish_lock);
    }
}

void pkv_parallel_for(int64_t n, pkv_task_fn fn, void *ctx) {
    if (n <= 0) return;
    pkv_adopt_process_nice();
    if (pool.threads == 1 || n == 1 || pthread_mutex_trylock(&pool.submit) != 0) {
        fn(ctx, 0, n);
        return;
    }
    int64_t parts = (int64_t)pool.threads * PKV_PARTS_PER_THREAD;
    pool.fn = fn;
    pool.ctx = ctx;
    pool.n = n;
    atomic_store_explicit(&pool.parts, (int)(parts < n ? parts : n), memory_order_relaxed);
    atomic_store(&pool.done, 0);
    // A late worker of the previous job may claim a part as soon as it is reset: everything
    // above is written first, and all of these are sequentially consistent.
    for (int p = 0; p < job_parts(); p++) atomic_store(&pool.claimed[p], 0);
    atomic_fetch_add(&pool.generation, 1);
    if (atomic_load(&pool.sleepers) > 0) {
        pthread_mutex_lock(&pool.sleep_lock);
        pthread_cond_broadcast(&pool.wake);
        pthread_mutex_unlock(&pool.sleep_lock);
    }
    run_parts(0);
    wait_for_parts();
    pthread_mutex_unlock(&pool.submit);
}
