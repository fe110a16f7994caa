//! How the server's memory goes back to the system. Unlike every other command, the
//! server lives long and holds the last snapshot while it makes the next, one a pause in
//! typing; glibc's malloc, left to itself, keeps what each analysis frees for later, so
//! the process grew with every analysis (62 to 74 MB over ten edits at 10,000 files,
//! with live memory unchanged). Elsewhere than glibc these do nothing.

/// Large blocks (at least 128 KiB: lists of 10,000 documents or outlines, hash tables)
/// are each mapped on their own and unmapped when freed. glibc starts with that
/// threshold but raises it each time such a block is freed, up to 32 MB, after which
/// those lists are carved out of the heap and leave holes the next analysis's smaller
/// blocks fill only in part. Set once, at the start: only the server asks for it.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub(super) fn map_large_blocks_apart() {
    const THRESHOLD: libc::c_int = 128 * 1024;
    // SAFETY: `mallopt` takes no pointers; it sets a parameter of the allocator under
    // the allocator's own lock, and any value of M_MMAP_THRESHOLD up to 32 MB is valid.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, THRESHOLD);
    }
}

/// Returns the free pages of the allocator's arenas to the system: after an analysis,
/// once the snapshot it replaced is freed.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub(super) fn give_back_free_memory() {
    // SAFETY: `malloc_trim` takes no pointers and only releases free pages of the
    // allocator's arenas, under the arenas' own locks; it is safe to call at any time
    // from any thread.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub(super) fn map_large_blocks_apart() {}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub(super) fn give_back_free_memory() {}
