/* The worker pool: N threads take prepared tasks from a queue, run the agent, and hand the task
 * back through a done queue that the orchestrator's main thread drains. No global lock is held
 * while an agent runs. */
#include "orch/graph.h"
#include "util/fsutil.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

typedef reel_task qnode; /* tasks are chained through their own qnext field */

struct reel_pool {
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    qnode *todo_head, *todo_tail, *done_head, *done_tail;
    int stopping;
    pthread_t *threads;
    int n;
};

static void push(qnode **head, qnode **tail, qnode *q)
{
    q->qnext = NULL;
    if (*tail) (*tail)->qnext = q;
    else *head = q;
    *tail = q;
}

static qnode *pop(qnode **head, qnode **tail)
{
    qnode *q = *head;
    if (q) {
        *head = q->qnext;
        if (!*head) *tail = NULL;
    }
    return q;
}

static void run_one(reel_task *t)
{
    double w0 = reel_now(), c0 = reel_thread_cpu();
    t->rc = t->agent->run(t);
    if (!t->rc) t->rc = reel_task_store(t); /* hashing and fsync off the main thread */
    if (t->rc && !t->err.msg[0]) reel_errf(&t->err, t->rc, "%s failed (%s)", t->agent->name, reel_strerror(t->rc));
    t->cpu = reel_thread_cpu() - c0;
    t->wall = reel_now() - w0;
}

static void *worker(void *arg)
{
    reel_pool *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->todo_head && !p->stopping) pthread_cond_wait(&p->work, &p->mu);
        qnode *q = pop(&p->todo_head, &p->todo_tail);
        if (!q) break;
        pthread_mutex_unlock(&p->mu);
        run_one(q);
        pthread_mutex_lock(&p->mu);
        push(&p->done_head, &p->done_tail, q);
        pthread_cond_signal(&p->done);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

int reel_pool_create(reel_pool **out, int threads, reel_err *e)
{
    reel_pool *p = calloc(1, sizeof *p);
    if (!p || !(p->threads = calloc((size_t)threads, sizeof *p->threads))) {
        free(p);
        return reel_errf(e, REEL_ENOMEM, "out of memory");
    }
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&p->done, &ca);
    pthread_condattr_destroy(&ca);
    for (; p->n < threads; p->n++)
        if (pthread_create(&p->threads[p->n], NULL, worker, p)) break;
    *out = p;
    if (p->n == 0) {
        reel_pool_destroy(out);
        return reel_errf(e, REEL_EIO, "cannot start worker threads");
    }
    return 0;
}

void reel_pool_submit(reel_pool *p, reel_task *t)
{
    pthread_mutex_lock(&p->mu);
    push(&p->todo_head, &p->todo_tail, t);
    pthread_cond_signal(&p->work);
    pthread_mutex_unlock(&p->mu);
}

static void wait_done(reel_pool *p, double timeout_s)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    long long ns = ts.tv_nsec + (long long)(timeout_s * 1e9);
    ts.tv_sec += ns / 1000000000LL;
    ts.tv_nsec = ns % 1000000000LL;
    while (!p->done_head)
        if (pthread_cond_timedwait(&p->done, &p->mu, &ts) == ETIMEDOUT) break;
}

reel_task *reel_pool_take(reel_pool *p)
{
    pthread_mutex_lock(&p->mu);
    qnode *q = pop(&p->done_head, &p->done_tail);
    pthread_mutex_unlock(&p->mu);
    return q;
}

void reel_pool_idle(reel_pool *p, double timeout_s)
{
    pthread_mutex_lock(&p->mu);
    wait_done(p, timeout_s);
    pthread_mutex_unlock(&p->mu);
}

void reel_pool_destroy(reel_pool **pp)
{
    reel_pool *p = pp ? *pp : NULL;
    if (!p) return;
    pthread_mutex_lock(&p->mu);
    p->stopping = 1;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < p->n; i++) pthread_join(p->threads[i], NULL);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->done);
    free(p->threads);
    free(p);
    *pp = NULL;
}
