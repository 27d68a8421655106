//! The bounded pool that heavy requests run on (search, exports, related documents,
//! timelines, issue and person pages): a few blocking threads, and a bounded queue in front
//! of them. A request beyond the queue is not kept waiting: it gets a 503 with `Retry-After`.
//! Cheap requests (a document page, static files) never wait behind it: they run on the async
//! workers ([`crate::AppState::with`]).
//!
//! Admission is a semaphore of `threads + queue` tickets taken without waiting; running is a
//! semaphore of `threads` permits, waited for. Both move into the blocking job, so a job whose
//! request was given up (the client left, the request timed out) still holds its place until
//! it ends: the pool never runs more than `threads` jobs, whatever the clients do. The jobs
//! run on tokio's blocking threads, of which the runtime of `serve` keeps only a few
//! (`max_blocking_threads`), so the pool cannot grow the process the way unbounded
//! `spawn_blocking` did (issue 4).

use std::sync::Arc;

use tokio::sync::Semaphore;

/// Why a job was not run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Every thread is busy and the queue is full.
    Full,
    /// The job panicked, or the runtime is shutting down.
    Failed,
}

#[derive(Debug, Clone)]
pub struct Pool {
    running: Arc<Semaphore>,
    admitted: Arc<Semaphore>,
    threads: usize,
    queue: usize,
}

impl Pool {
    /// A pool running at most `threads` jobs at once (at least 1) with at most `queue` more
    /// waiting.
    pub fn new(threads: usize, queue: usize) -> Pool {
        let threads = threads.max(1);
        Pool {
            running: Arc::new(Semaphore::new(threads)),
            admitted: Arc::new(Semaphore::new(threads.saturating_add(queue))),
            threads,
            queue,
        }
    }

    pub fn threads(&self) -> usize {
        self.threads
    }

    pub fn queue(&self) -> usize {
        self.queue
    }

    /// Jobs running or waiting now.
    #[cfg_attr(not(test), allow(dead_code))]
    pub fn busy(&self) -> usize {
        (self.threads + self.queue).saturating_sub(self.admitted.available_permits())
    }

    /// Run `f` on a blocking thread once one of the pool's places is free; [`Refused::Full`]
    /// at once when the queue is full.
    pub async fn run<T, F>(&self, f: F) -> Result<T, Refused>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let ticket = Arc::clone(&self.admitted).try_acquire_owned().map_err(|_| Refused::Full)?;
        let permit = Arc::clone(&self.running).acquire_owned().await.map_err(|_| Refused::Failed)?;
        let job = tokio::task::spawn_blocking(move || {
            let _held = (ticket, permit);
            f()
        });
        job.await.map_err(|_| Refused::Failed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    /// A pool of one thread and a queue of one: a third job is refused at once while the first
    /// runs and the second waits; once they end, the pool takes jobs again.
    #[tokio::test]
    async fn refuses_beyond_its_queue_and_recovers() {
        let pool = Pool::new(1, 1);
        let (release, wait) = mpsc::channel::<()>();
        let (started_tx, started) = tokio::sync::oneshot::channel::<()>();
        let first = {
            let pool = pool.clone();
            tokio::spawn(async move {
                pool.run(move || {
                    let _ = started_tx.send(());
                    wait.recv().ok();
                    1
                })
                .await
            })
        };
        started.await.unwrap();
        let second = {
            let pool = pool.clone();
            tokio::spawn(async move { pool.run(|| 2).await })
        };
        // the second is admitted and waits for the thread
        while pool.busy() < 2 {
            tokio::task::yield_now().await;
        }
        assert_eq!(pool.run(|| 3).await, Err(Refused::Full));
        release.send(()).unwrap();
        assert_eq!(first.await.unwrap(), Ok(1));
        assert_eq!(second.await.unwrap(), Ok(2));
        assert_eq!(pool.run(|| 4).await, Ok(4));
        assert_eq!(pool.busy(), 0);
    }

    /// A job whose caller gave up keeps its thread until it ends: no more than `threads` jobs
    /// ever run.
    #[tokio::test]
    async fn an_abandoned_job_still_counts() {
        let pool = Pool::new(1, 0);
        let (release, wait) = mpsc::channel::<()>();
        let (started_tx, started) = tokio::sync::oneshot::channel::<()>();
        let abandoned = {
            let pool = pool.clone();
            tokio::spawn(async move {
                pool.run(move || {
                    let _ = started_tx.send(());
                    wait.recv().ok();
                })
                .await
            })
        };
        started.await.unwrap();
        abandoned.abort();
        let _ = abandoned.await;
        assert_eq!(pool.run(|| ()).await, Err(Refused::Full), "the abandoned job still runs");
        release.send(()).unwrap();
        let mut tries = 0;
        while pool.busy() > 0 && tries < 1000 {
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            tries += 1;
        }
        assert_eq!(pool.run(|| 5).await, Ok(5));
    }
}
