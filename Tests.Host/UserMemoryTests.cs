using Cowbird.Mm;
using Cowbird.Mm.Physical;
using Cowbird.Mm.Rmap;
using Cowbird.Mm.Vm;
using Xunit;

namespace Cowbird.Tests.Host
{
    // Kernel accesses to user memory (syscall buffers), xv6 cowtest's "copyout" cases.
    public unsafe class UserMemoryTests
    {
        [Theory, AllDesigns]
        public void Copies_across_a_page_boundary_both_ways_and_faults_pages_in(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 2);
            byte[] data = new byte[100];
            for (int i = 0; i < data.Length; i++) data[i] = (byte)(i + 1);
            ulong at = p + Page.Size - 50;
            fixed (byte* source = data)
                Assert.Equal(Errno.None, UserMemory.CopyToUser(a, at, source, (ulong)data.Length));
            Assert.Equal(2UL, m.Manager.Stat.DemandZeroFault);
            Assert.Equal(1, m.Read(a, at));
            Assert.Equal(100, m.Read(a, at + 99));
            byte[] back = new byte[100];
            fixed (byte* destination = back)
                Assert.Equal(Errno.None, UserMemory.CopyFromUser(a, destination, at, 100));
            Assert.Equal(data, back);
            m.Check();
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void A_kernel_write_into_a_cow_shared_page_breaks_cow_first(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var parent = m.NewSpace();
            ulong p = m.MapAnonymous(parent, 1);
            m.Write(parent, p, 1);
            var child = m.Fork(parent);
            byte value = 9;
            Assert.Equal(Errno.None, UserMemory.CopyToUser(parent, p, &value, 1));
            Assert.Equal(9, m.Read(parent, p));
            Assert.Equal(1, m.Read(child, p));
            Assert.Equal(1UL, m.Manager.Stat.PgCowFault);
            m.Check();
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Unmapped_read_only_and_prot_none_buffers_give_EFAULT_without_side_effects(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var a = m.NewSpace();
            ulong ro = m.MapAnonymous(a, 1, Protection.Read);
            ulong none = m.MapAnonymous(a, 1, Protection.None);
            ulong rw = m.MapAnonymous(a, 1);
            byte value = 5;
            Assert.Equal(Errno.EFAULT, UserMemory.CopyToUser(a, ro, &value, 1));
            Assert.Equal(0, m.Read(a, ro));
            Assert.Equal(Errno.EFAULT, UserMemory.CopyFromUser(a, &value, none, 1));
            Assert.Equal(Errno.EFAULT, UserMemory.CopyToUser(a, 0x20_0000, &value, 1));
            Assert.Equal(Errno.EFAULT, UserMemory.CopyToUser(a, ulong.MaxValue - 2, &value, 8));
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void A_buffer_running_off_the_end_of_a_mapping_fails_after_copying_what_fit(RmapDesign design)
        {
            using var m = new TestMachine(64, rmap: design);
            var a = m.NewSpace();
            const ulong at = 0x4000_0000;
            a.Mmap(at, Page.Size, Protection.Read | Protection.Write, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed);
            byte* two = stackalloc byte[2];
            two[0] = 7;
            two[1] = 8;
            Assert.Equal(Errno.EFAULT, UserMemory.CopyToUser(a, at + Page.Size - 1, two, 2));
            Assert.Equal(7, m.Read(a, at + Page.Size - 1));
            m.Check();
            m.AssertNoLeaks();
        }

        [Theory, AllDesigns]
        public void Running_out_of_frames_gives_ENOMEM(RmapDesign design)
        {
            using var m = new TestMachine(4, rmap: design);
            m.AllowOvercommit();
            var a = m.NewSpace();
            ulong p = m.MapAnonymous(a, 8);
            var buffer = new byte[8 * Page.Size];
            fixed (byte* source = buffer)
                Assert.Equal(Errno.ENOMEM, UserMemory.CopyToUser(a, p, source, (ulong)buffer.Length));
            m.Check();
            m.AssertNoLeaks();
        }

        // A kernel write into a swapped-out page still shared copy-on-write takes a swap-in
        // (mapped read-only) and then a COW fault whose allocation reclaims: with memory
        // this tight, reclaim must not take back the page being copied (it is pinned for
        // the copy), and the kernel write must land, never panic.
        [Theory]
        [InlineData(24, 2)]
        [InlineData(32, 4)]
        [InlineData(40, 8)]
        [InlineData(64, 8)]
        public void Kernel_writes_into_swapped_out_cow_pages_under_pressure_land(int frames, int processes)
        {
            const int Pages = 64;
            using var m = new TestMachine(frames: frames, swapPages: 1024);
            var spaces = new System.Collections.Generic.List<AddressSpace> { m.NewSpace() };
            ulong p = m.MapAnonymous(spaces[0], Pages);
            for (ulong i = 0; i < Pages; i++)
                m.Write(spaces[0], p + i * Page.Size, (byte)(i + 1));
            while (spaces.Count < processes)
                spaces.Add(m.Fork(spaces[spaces.Count / 2]));
            var random = new System.Random(frames * 31 + processes);
            for (int round = 0; round < 2000; round++)
            {
                ulong page = (ulong)random.Next(Pages);
                var who = spaces[random.Next(spaces.Count)];
                byte value = (byte)(100 + round % 100);
                if (random.Next(2) == 0)
                    m.Write(who, p + page * Page.Size + 9, value);
                Assert.Equal(Errno.None, UserMemory.CopyToUser(who, p + page * Page.Size + 7, &value, 1));
                Assert.Equal(value, m.Read(who, p + page * Page.Size + 7));
                Assert.Equal((byte)(page + 1), m.Read(who, p + page * Page.Size));
                if (round % 200 == 0)
                    m.Check();
            }
            m.Check();
            m.AssertNoLeaks();
        }

        // The race in its simplest form: the only page reclaim could take is the one a
        // kernel write is breaking COW on. Everything else is pinned and free memory is
        // below the Low watermark, so the COW fault's allocation reclaims. The page being
        // copied is pinned for the copy (Linux: do_wp_page holds a reference), so reclaim
        // leaves it alone and the write lands on the first COW fault.
        [Theory, AllDesigns]
        public void Reclaim_during_a_cow_fault_never_takes_the_page_being_copied(RmapDesign design)
        {
            using var m = new TestMachine(frames: 64, swapPages: 256, rmap: design);
            var hog = m.NewSpace();
            ulong h = m.MapAnonymous(hog, 64);
            var pinned = new System.Collections.Generic.HashSet<ulong>();
            ulong watermark = m.Manager.Reclaimer.Watermarks.Low;
            for (ulong i = 0; m.Frames.FreeFrames > watermark + 12; i++)
            {
                m.Write(hog, h + i * Page.Size, 1);
                ulong pfn = hog.PageTable.Lookup(h + i * Page.Size).Frame;
                m.Frames.Get(pfn);
                pinned.Add(pfn);
            }
            m.ExtraReferences = pfn => pinned.Contains(pfn) ? 1 : 0;
            var parent = m.NewSpace();
            ulong p = m.MapAnonymous(parent, 1);
            m.Write(parent, p, 42);
            var child = m.Fork(parent);
            var held = new System.Collections.Generic.List<ulong>();
            while (m.Frames.FreeFrames >= watermark)
                held.Add(m.Frames.AllocFrame());
            Assert.True(m.Frames.FreeFrames > 0);
            byte value = 7;
            ulong faults = m.Manager.Stat.PgFault;
            Assert.Equal(Errno.None, UserMemory.CopyToUser(child, p + 1, &value, 1));
            Assert.Equal(1UL, m.Manager.Stat.PgFault - faults);
            Assert.Equal(7, m.Read(child, p + 1));
            Assert.Equal(42, m.Read(child, p));
            Assert.Equal(0, m.Read(parent, p + 1));
            foreach (ulong pfn in held)
                m.Frames.Put(pfn);
            m.Check();
            foreach (ulong pfn in pinned)
                m.Frames.Put(pfn);
            m.ExtraReferences = null;
            m.AssertNoLeaks();
        }
    }
}
