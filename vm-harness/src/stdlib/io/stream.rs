//! A buffered stream as C stdio keeps one (`FILE *`): one buffer for reading and one for
//! writing over a file descriptor or a child process's pipe, with the buffering modes of
//! `setvbuf`. The io library's file handles, `print`'s standard output and the
//! interactive prompt's input are all streams, so they share buffers as they do in C.
//!
//! Invariants: `unread` holds bytes read from the device and not yet consumed (the
//! device's offset is past them); `pending` holds bytes written and not yet sent. At most
//! one of them is non-empty: switching direction first settles the other, as glibc does.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::os::fd::AsFd;
use std::os::unix::fs::MetadataExt;
use std::process::{Child, ChildStdin, ChildStdout};

use crate::vm::buffer::reserve_within;

/// C's `BUFSIZ`: the buffer size `setvbuf` uses when given none, and the fallback when a
/// device reports no block size.
pub const BUFSIZ: usize = 8192;

/// The largest read asked of a device at once, whatever `setvbuf` says: the read
/// buffer is allocated whole, and bigger reads save no system calls worth having.
const MAX_READ_CHUNK: usize = 1 << 20;

/// When written bytes are sent to the device (`setvbuf`'s modes).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Buffering {
    /// Every write at once (`_IONBF`).
    No,
    /// At each newline and when the buffer is full (`_IOLBF`).
    Line,
    /// When the buffer is full (`_IOFBF`).
    Full,
}

/// What a stream reads from and writes to.
enum Device {
    File(File),
    /// `io.popen(cmd, "r")`: the command's standard output.
    PipeFrom {
        child: Child,
        out: ChildStdout,
    },
    /// `io.popen(cmd, "w")`: the command's standard input.
    PipeTo {
        child: Child,
        input: ChildStdin,
    },
    /// A standard descriptor that was not open when the program started.
    Missing,
}

/// A buffered stream (see the module documentation).
pub struct Stream {
    device: Device,
    /// Whether the stream was opened for reading and for writing: the other direction
    /// fails at once with `EBADF`, as glibc's streams do.
    readable: bool,
    writable: bool,
    unread: Vec<u8>,
    unread_pos: usize,
    pending: Vec<u8>,
    buffering: Buffering,
    capacity: usize,
}

fn bad_descriptor() -> io::Error {
    io::Error::from_raw_os_error(libc::EBADF)
}

impl Stream {
    fn new(device: Device, buffering: Buffering, capacity: usize) -> Stream {
        let (readable, writable) = match &device {
            Device::File(_) => (true, true),
            Device::PipeFrom { .. } => (true, false),
            Device::PipeTo { .. } => (false, true),
            Device::Missing => (false, false),
        };
        Stream {
            device,
            readable,
            writable,
            unread: Vec::new(),
            unread_pos: 0,
            pending: Vec::new(),
            buffering,
            capacity: capacity.max(1),
        }
    }

    /// A fully buffered stream over a file opened for reading, writing or both, with
    /// the file's block size as buffer (what glibc picks).
    pub fn file(file: File, readable: bool, writable: bool) -> Stream {
        let block = file
            .metadata()
            .map_or(BUFSIZ, |m| m.blksize() as usize)
            .max(1);
        let mut stream = Stream::new(Device::File(file), Buffering::Full, block);
        stream.readable = readable;
        stream.writable = writable;
        stream
    }

    /// A stream over a duplicate of standard descriptor `fd` (which shares its offset).
    /// Standard error is unbuffered; the others are line buffered on a terminal and
    /// fully buffered otherwise, as C's start-up makes them.
    pub fn standard(fd: std::os::fd::BorrowedFd<'_>, input: bool, unbuffered: bool) -> Stream {
        use std::io::IsTerminal;
        let Ok(owned) = fd.try_clone_to_owned() else {
            return Stream::new(Device::Missing, Buffering::No, BUFSIZ);
        };
        let file = File::from(owned);
        let terminal = file.is_terminal();
        let mut stream = Stream::file(file, input, !input);
        stream.buffering = if unbuffered {
            Buffering::No
        } else if terminal {
            Buffering::Line
        } else {
            Buffering::Full
        };
        stream
    }

    /// The process's standard input.
    pub fn stdin() -> Stream {
        Stream::standard(io::stdin().as_fd(), true, false)
    }

    /// The process's standard output.
    pub fn stdout() -> Stream {
        Stream::standard(io::stdout().as_fd(), false, false)
    }

    /// The process's standard error.
    pub fn stderr() -> Stream {
        Stream::standard(io::stderr().as_fd(), false, true)
    }

    /// Reads the standard output of a running command.
    pub fn pipe_from(child: Child, out: ChildStdout) -> Stream {
        Stream::new(Device::PipeFrom { child, out }, Buffering::Full, BUFSIZ)
    }

    /// Writes to the standard input of a running command.
    pub fn pipe_to(child: Child, input: ChildStdin) -> Stream {
        Stream::new(Device::PipeTo { child, input }, Buffering::Full, BUFSIZ)
    }

    /// Whether reading it waits for a person: standard input on a terminal is line
    /// buffered, and reading it flushes line-buffered output first, as glibc does.
    pub fn is_line_buffered(&self) -> bool {
        self.buffering == Buffering::Line
    }

    /// `setvbuf`: sends what is pending, then buffers as asked.
    pub fn set_buffering(&mut self, buffering: Buffering, capacity: usize) -> io::Result<()> {
        self.flush()?;
        self.buffering = buffering;
        self.capacity = capacity.max(1);
        Ok(())
    }

    fn device_read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if !self.readable {
            return Err(bad_descriptor());
        }
        match &mut self.device {
            Device::File(f) => f.read(buf),
            Device::PipeFrom { out, .. } => out.read(buf),
            Device::PipeTo { .. } | Device::Missing => Err(bad_descriptor()),
        }
    }

    fn device_write(&mut self, data: &[u8]) -> io::Result<()> {
        if !self.writable {
            return Err(bad_descriptor());
        }
        match &mut self.device {
            Device::File(f) => f.write_all(data),
            Device::PipeTo { input, .. } => input.write_all(data),
            Device::PipeFrom { .. } | Device::Missing => Err(bad_descriptor()),
        }
    }

    /// Sends the pending bytes. On failure they are dropped, as glibc drops them, so a
    /// later flush or close does not fail again for the same bytes.
    pub fn flush(&mut self) -> io::Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let data = std::mem::take(&mut self.pending);
        let result = self.device_write(&data);
        self.pending = data;
        self.pending.clear();
        result
    }

    /// Writes `data` through the buffer.
    #[inline]
    pub fn write_bytes(&mut self, data: &[u8]) -> io::Result<()> {
        // The common case (`print` to a pipe or file): room in a full buffer.
        let room = self.pending.len() + data.len() <= self.capacity;
        if room && self.buffering == Buffering::Full && self.writable && self.unread.is_empty() {
            self.pending.extend_from_slice(data);
            return Ok(());
        }
        self.write_through(data)
    }

    #[inline(never)]
    fn write_through(&mut self, data: &[u8]) -> io::Result<()> {
        if !self.writable {
            return Err(bad_descriptor());
        }
        self.drop_unread()?;
        if self.pending.len() + data.len() > self.capacity {
            self.flush()?;
        }
        if self.buffering == Buffering::No || data.len() >= self.capacity {
            return self.device_write(data);
        }
        self.pending.extend_from_slice(data);
        if self.buffering == Buffering::Line && data.contains(&b'\n') {
            self.flush()?;
        }
        Ok(())
    }

    /// Gives back to the device the bytes read ahead and not consumed, so that writing
    /// or seeking starts where the program stopped reading.
    fn drop_unread(&mut self) -> io::Result<()> {
        let ahead = self.unread.len() - self.unread_pos;
        self.unread.clear();
        self.unread_pos = 0;
        if ahead > 0 {
            if let Device::File(f) = &mut self.device {
                f.seek(SeekFrom::Current(-(ahead as i64)))?;
            }
        }
        Ok(())
    }

    /// The unread bytes, reading more from the device when none are left; empty at end
    /// of file.
    pub fn fill(&mut self) -> io::Result<&[u8]> {
        if self.unread_pos == self.unread.len() {
            self.flush()?;
            let mut buf = std::mem::take(&mut self.unread);
            buf.resize(self.capacity.clamp(BUFSIZ, MAX_READ_CHUNK), 0);
            let got = loop {
                match self.device_read(&mut buf) {
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    other => break other,
                }
            };
            buf.truncate(*got.as_ref().unwrap_or(&0));
            self.unread = buf;
            self.unread_pos = 0;
            got?;
        }
        Ok(&self.unread[self.unread_pos..])
    }

    /// Marks `n` bytes of what `fill` returned as consumed.
    pub fn consume(&mut self, n: usize) {
        self.unread_pos = (self.unread_pos + n).min(self.unread.len());
    }

    /// The next byte without consuming it; `None` at end of file.
    pub fn peek(&mut self) -> io::Result<Option<u8>> {
        Ok(self.fill()?.first().copied())
    }

    /// Appends one line to `out` without its newline; false at end of file with nothing
    /// read (5.1's `read_line`). `out` stays within `limit` bytes
    /// ([`Vm::buffer_limit`](crate::vm::Vm::buffer_limit)): a longer line fails with
    /// `ErrorKind::OutOfMemory`, as does a refused allocation.
    pub fn read_line(&mut self, out: &mut Vec<u8>, limit: usize) -> io::Result<bool> {
        let mut any = false;
        loop {
            let buf = self.fill()?;
            if buf.is_empty() {
                return Ok(any);
            }
            any = true;
            let (piece, newline) = match buf.iter().position(|&b| b == b'\n') {
                Some(i) => (&buf[..i], true),
                None => (buf, false),
            };
            append_within(out, piece, limit)?;
            let n = piece.len() + usize::from(newline);
            self.consume(n);
            if newline {
                return Ok(true);
            }
        }
    }

    /// Appends up to `n` bytes to `out`, keeping it within `limit` bytes (as for
    /// [`Stream::read_line`]); returns how many.
    pub fn read_up_to(&mut self, n: usize, out: &mut Vec<u8>, limit: usize) -> io::Result<usize> {
        let mut got = 0;
        while got < n {
            let buf = self.fill()?;
            if buf.is_empty() {
                break;
            }
            let take = buf.len().min(n - got);
            append_within(out, &buf[..take], limit)?;
            self.consume(take);
            got += take;
        }
        Ok(got)
    }

    /// Appends everything up to the end of file to `out`, within `limit` bytes.
    pub fn read_to_end(&mut self, out: &mut Vec<u8>, limit: usize) -> io::Result<()> {
        self.read_up_to(usize::MAX, out, limit).map(drop)
    }

    /// `fseek`: settles both buffers, then moves; returns the new offset.
    pub fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        self.flush()?;
        self.drop_unread()?;
        match &mut self.device {
            Device::File(f) => f.seek(to),
            Device::PipeFrom { .. } | Device::PipeTo { .. } => {
                Err(io::Error::from_raw_os_error(libc::ESPIPE))
            }
            Device::Missing => Err(bad_descriptor()),
        }
    }

    /// `fclose`/`pclose`: sends what is pending and releases the device; a pipe's
    /// command is waited for. Returns the flush's outcome (`pclose`'s status is not
    /// reported: 5.1 only checks that `pclose` succeeded).
    pub fn close(mut self) -> io::Result<()> {
        let flushed = self.flush();
        match std::mem::replace(&mut self.device, Device::Missing) {
            Device::PipeFrom { mut child, out } => {
                drop(out);
                child.wait()?;
            }
            Device::PipeTo { mut child, input } => {
                drop(input);
                child.wait()?;
            }
            Device::File(_) | Device::Missing => {}
        }
        flushed
    }
}

/// `print` writes standard output through this.
impl Write for Stream {
    #[inline]
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.write_bytes(data).map(|()| data.len())
    }

    #[inline]
    fn write_all(&mut self, data: &[u8]) -> io::Result<()> {
        self.write_bytes(data)
    }

    fn flush(&mut self) -> io::Result<()> {
        Stream::flush(self)
    }
}

impl Drop for Stream {
    /// A stream dropped without `close` (at exit) still sends what it holds.
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

/// Appends `bytes` to `out` without its capacity passing `limit`
/// ([`crate::vm::buffer`]'s rule for buffers built from program input).
fn append_within(out: &mut Vec<u8>, bytes: &[u8], limit: usize) -> io::Result<()> {
    reserve_within(out, bytes.len(), limit)
        .map_err(|_| io::Error::from(io::ErrorKind::OutOfMemory))?;
    out.extend_from_slice(bytes);
    Ok(())
}
