using Cowbird.Mm;
using Cowbird.Mm.Swap;
using Xunit;

namespace Cowbird.Tests.Host.Swap
{
    public unsafe class SwapSpaceTests
    {
        static SwapSpace WithDisk(RamDisk disk, out int type)
        {
            var space = new SwapSpace(64);
            using var scratch = new PageBuffer();
            Assert.Equal(0, space.SwapOn(disk, scratch.Pointer, out type, out var status));
            Assert.Equal(SwapHeaderStatus.Valid, status);
            disk.Reads = 0;        // forget the header read: tests count page I/O
            return space;
        }

        [Fact]
        public void SwapOn_of_a_formatted_disk_counts_its_slots_minus_header_and_bad_pages()
        {
            var space = WithDisk(SwapDisks.Formatted(100, new uint[] { 9 }), out int type);
            Assert.Equal(0, type);
            Assert.Equal(98ul, space.TotalSlots);
            Assert.Equal(98ul, space.FreeSlots);
        }

        [Fact]
        public void SwapOn_of_an_unformatted_disk_is_einval_with_no_magic()
        {
            var space = new SwapSpace(64);
            using var scratch = new PageBuffer();
            Assert.Equal(-(int)Errno.EINVAL, space.SwapOn(new RamDisk(100), scratch.Pointer, out int type, out var status));
            Assert.Equal(SwapHeaderStatus.NoMagic, status);
            Assert.Equal(-1, type);
            Assert.Equal(0ul, space.TotalSlots);
        }

        [Fact]
        public void SwapOn_without_a_device_or_buffer_is_einval()
        {
            var space = new SwapSpace(64);
            using var scratch = new PageBuffer();
            Assert.Equal(-(int)Errno.EINVAL, space.SwapOn(null, scratch.Pointer, out _, out _));
            Assert.Equal(-(int)Errno.EINVAL, space.SwapOn(SwapDisks.Formatted(10), null, out _, out _));
        }

        [Fact]
        public void SwapOn_propagates_a_header_read_error_as_eio()
        {
            var disk = SwapDisks.Formatted(100);
            disk.FailPage = 0;
            var space = new SwapSpace(64);
            using var scratch = new PageBuffer();
            Assert.Equal(-(int)Errno.EIO, space.SwapOn(disk, scratch.Pointer, out _, out var status));
            Assert.Equal(SwapHeaderStatus.ReadFailed, status);
        }

        [Fact]
        public void Page_written_to_an_entry_reads_back_identical_and_counters_move()
        {
            var disk = SwapDisks.Formatted(100);
            var space = WithDisk(disk, out _);
            using var page = new PageBuffer();
            using var back = new PageBuffer();
            page.Fill(42);
            Assert.Equal(0, space.AllocateEntry(out var entry));
            Assert.Equal(0, space.WritePage(entry, page.Pointer));
            Assert.Equal(0, space.ReadPage(entry, back.Pointer));
            Assert.True(back.HasPattern(42));
            Assert.Equal(1ul, space.PswpOut);
            Assert.Equal(1ul, space.PswpIn);
            Assert.Equal(1, disk.Writes);
            Assert.Equal(1, disk.Reads);
            Assert.Equal(42, disk.Bytes[entry.Slot * 4096]);   // slot n is page n of the disk
        }

        [Fact]
        public void Io_errors_propagate_and_do_not_count_as_swapped()
        {
            var disk = SwapDisks.Formatted(100);
            var space = WithDisk(disk, out _);
            using var page = new PageBuffer();
            Assert.Equal(0, space.AllocateEntry(out var entry));
            disk.FailPage = (long)entry.Slot;
            Assert.Equal(-(int)Errno.EIO, space.WritePage(entry, page.Pointer));
            Assert.Equal(-(int)Errno.EIO, space.ReadPage(entry, page.Pointer));
            Assert.Equal(0ul, space.PswpOut);
            Assert.Equal(0ul, space.PswpIn);
            disk.FailPage = -1;
            disk.FailAfter = 0;
            Assert.Equal(-(int)Errno.EIO, space.WritePage(entry, page.Pointer));
        }

        [Fact]
        public void Reading_or_writing_a_free_or_unknown_entry_is_einval_without_io()
        {
            var disk = SwapDisks.Formatted(100);
            var space = WithDisk(disk, out _);
            using var page = new PageBuffer();
            Assert.Equal(-(int)Errno.EINVAL, space.ReadPage(new SwapEntry(0, 10), page.Pointer));
            Assert.Equal(-(int)Errno.EINVAL, space.WritePage(new SwapEntry(0, 0), page.Pointer));
            Assert.Equal(-(int)Errno.EINVAL, space.ReadPage(new SwapEntry(5, 1), page.Pointer));
            Assert.Equal(-(int)Errno.EINVAL, space.Duplicate(new SwapEntry(5, 1)));
            Assert.Equal(0, disk.Reads + disk.Writes);
        }

        [Fact]
        public void Allocation_moves_to_the_next_device_when_the_first_is_full()
        {
            var space = WithDisk(SwapDisks.Formatted(4), out int first);
            using var scratch = new PageBuffer();
            Assert.Equal(0, space.SwapOn(SwapDisks.Formatted(10), scratch.Pointer, out int second, out _));
            Assert.Equal(1, second);
            for (ulong s = 1; s <= 3; s++)
            {
                Assert.Equal(0, space.AllocateEntry(out var e));
                Assert.Equal(first, e.Type);
                Assert.Equal(s, e.Slot);
            }
            Assert.Equal(0, space.AllocateEntry(out var next));
            Assert.Equal(second, next.Type);
            Assert.Equal(1ul, next.Slot);
            Assert.Equal(12ul, space.TotalSlots);
            Assert.Equal(8ul, space.FreeSlots);
        }

        [Fact]
        public void All_devices_full_is_enospc()
        {
            var space = WithDisk(SwapDisks.Formatted(3), out _);
            Assert.Equal(0, space.AllocateEntry(out _));
            Assert.Equal(0, space.AllocateEntry(out _));
            Assert.Equal(-(int)Errno.ENOSPC, space.AllocateEntry(out var none));
            Assert.False(none.IsValid);
        }

        [Fact]
        public void SwapOff_refuses_a_device_in_use_and_frees_the_type_when_empty()
        {
            var space = WithDisk(SwapDisks.Formatted(10), out int type);
            Assert.Equal(0, space.AllocateEntry(out var entry));
            Assert.Equal(-(int)Errno.EBUSY, space.SwapOff(type));
            Assert.Equal(0, space.ClearCache(entry));
            Assert.Equal(0, space.SwapOff(type));
            Assert.Equal(-(int)Errno.ENODEV, space.SwapOff(type));
            Assert.Null(space.DeviceOf(type));
            Assert.Equal(0ul, space.TotalSlots);
        }

        // The whole Linux protocol for one page mapped by a parent and its child: swap-out
        // through the cache, two faults sharing one read and one frame, then teardown.
        [Fact]
        public void Two_faults_on_one_swapped_page_share_one_read_and_one_frame_and_leave_no_slot_used()
        {
            var disk = SwapDisks.Formatted(64);
            var space = WithDisk(disk, out _);
            using var frame = new PageBuffer();
            const ulong oldPfn = 100, newPfn = 200;
            frame.Fill(7);

            // swap-out: allocate, cache, one Duplicate per PTE, write, leave the cache.
            Assert.Equal(0, space.AllocateEntry(out var entry));
            Assert.Equal(0, space.Cache.Add(entry, oldPfn));
            ulong parentPte = entry.ToPte(), childPte = entry.ToPte();
            Assert.Equal(0, space.Duplicate(entry));
            Assert.Equal(0, space.Duplicate(entry));
            Assert.Equal(0, space.WritePage(entry, frame.Pointer));
            Assert.Equal(0, space.Cache.Delete(entry, out ulong dropped));
            Assert.Equal(oldPfn, dropped);
            Assert.Equal(0, space.ClearCache(entry));
            Assert.Equal(2u, space.Count(entry));

            // parent faults: miss, claim, cache a new frame, read.
            var parentEntry = SwapEntry.FromPte(parentPte);
            Assert.False(space.Cache.Lookup(parentEntry, out _));
            Assert.Equal(0, space.PrepareCache(parentEntry));
            Assert.Equal(0, space.Cache.Add(parentEntry, newPfn));
            frame.Fill(0);
            Assert.Equal(0, space.ReadPage(parentEntry, frame.Pointer));
            Assert.True(frame.HasPattern(7));
            Assert.Equal(0, space.Free(parentEntry));

            // child faults: hit, same frame, no read; a racing PrepareCache would be EEXIST.
            var childEntry = SwapEntry.FromPte(childPte);
            Assert.Equal(-(int)Errno.EEXIST, space.PrepareCache(childEntry));
            Assert.True(space.Cache.Lookup(childEntry, out ulong childPfn));
            Assert.Equal(newPfn, childPfn);
            Assert.Equal(0, space.Free(childEntry));
            Assert.Equal(1, disk.Reads);
            Assert.Equal(1ul, space.PswpIn);

            // no PTE holds the entry any more: the cached copy is an ordinary page now.
            Assert.Equal(0u, space.Count(entry));
            Assert.True(space.HasCache(entry));
            Assert.Equal(0, space.Cache.Delete(entry, out _));
            Assert.Equal(0, space.ClearCache(entry));
            Assert.Equal(space.TotalSlots, space.FreeSlots);
            Assert.Equal(0ul, space.Cache.Count);
        }

        [Fact]
        public void Read_ahead_through_the_space_names_slots_of_the_faulting_device()
        {
            var space = WithDisk(SwapDisks.Formatted(64), out int type);
            for (int i = 0; i < 12; i++)
            {
                Assert.Equal(0, space.AllocateEntry(out var e));
                space.Duplicate(e);
                space.ClearCache(e);
            }
            var slots = new ulong[8];
            int n = space.ReadAheadWindow(new SwapEntry(type, 10), 4, slots);
            Assert.Equal(new ulong[] { 10, 8, 9, 11 }, slots[..n]);
            Assert.Equal(-(int)Errno.EINVAL, space.ReadAheadWindow(new SwapEntry(type + 1, 10), 4, slots));
        }
    }
}
