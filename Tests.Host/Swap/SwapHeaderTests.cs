using Cowbird.Mm;
using System;
using System.Diagnostics;
using System.IO;
using Cowbird.Mm.Swap;
using Xunit;

namespace Cowbird.Tests.Host.Swap
{
    public unsafe class SwapHeaderTests
    {
        static void PutU32(byte* page, int offset, uint value)
        {
            page[offset] = (byte)value;
            page[offset + 1] = (byte)(value >> 8);
            page[offset + 2] = (byte)(value >> 16);
            page[offset + 3] = (byte)(value >> 24);
        }

        static void PutAscii(byte* page, int offset, string text)
        {
            for (int i = 0; i < text.Length; i++)
                page[offset + i] = (byte)text[i];
        }

        // A header built byte by byte from the documented layout, not with Format.
        static void HandWrittenHeader(byte* page, uint version, uint lastPage, uint[] bad, string magic = "SWAPSPACE2")
        {
            for (int i = 0; i < 4096; i++)
                page[i] = 0;
            PutU32(page, 1024, version);
            PutU32(page, 1028, lastPage);
            PutU32(page, 1032, (uint)bad.Length);
            for (int i = 0; i < bad.Length; i++)
                PutU32(page, 1536 + 4 * i, bad[i]);
            PutAscii(page, 4086, magic);
        }

        [Fact]
        public void Layout_constants_match_linux_union_swap_header()
        {
            Assert.Equal(4086, SwapHeader.MagicOffset);
            Assert.Equal(1536, SwapHeader.BadPagesOffset);
            Assert.Equal(637, SwapHeader.MaxBadPages);
        }

        [Fact]
        public void Hand_written_version_1_header_is_valid_and_parsed()
        {
            using var page = new PageBuffer();
            HandWrittenHeader(page.Pointer, 1, 99, new uint[] { 5, 17 });
            var status = SwapHeader.Parse(page.Pointer, 100, out var header);
            Assert.Equal(SwapHeaderStatus.Valid, status);
            Assert.Equal(99u, header.LastPage);
            Assert.Equal(100ul, header.SlotCount);
            Assert.Equal(new uint[] { 5, 17 }, header.BadPages);
        }

        [Fact]
        public void Format_writes_a_header_parse_accepts_with_the_same_fields()
        {
            using var page = new PageBuffer();
            var uuid = new byte[16];
            for (int i = 0; i < 16; i++) uuid[i] = (byte)(0xA0 + i);
            Assert.Equal(0, SwapHeader.Format(page.Pointer, 300, new uint[] { 3, 300 }, uuid));
            Assert.Equal(SwapHeaderStatus.Valid, SwapHeader.Parse(page.Pointer, 301, out var header));
            Assert.Equal(300u, header.LastPage);
            Assert.Equal(new uint[] { 3, 300 }, header.BadPages);
            Assert.Equal(uuid, header.Uuid);
            Assert.Equal((byte)'S', page.Pointer[4086]);
            Assert.Equal((byte)'2', page.Pointer[4095]);
        }

        [Fact]
        public void Page_without_signature_is_refused_as_no_magic()
        {
            using var page = new PageBuffer();
            HandWrittenHeader(page.Pointer, 1, 10, new uint[0], "SWAPSPACE3");
            Assert.Equal(SwapHeaderStatus.NoMagic, SwapHeader.Parse(page.Pointer, 11, out var header));
            Assert.Null(header);
        }

        [Fact]
        public void Old_version_0_signature_is_refused_as_old_magic()
        {
            using var page = new PageBuffer();
            HandWrittenHeader(page.Pointer, 1, 10, new uint[0], "SWAP-SPACE");
            Assert.Equal(SwapHeaderStatus.OldMagic, SwapHeader.Parse(page.Pointer, 11, out _));
        }

        [Theory]
        [InlineData(0u)]
        [InlineData(2u)]
        public void Version_other_than_1_is_refused(uint version)
        {
            using var page = new PageBuffer();
            HandWrittenHeader(page.Pointer, version, 10, new uint[0]);
            Assert.Equal(SwapHeaderStatus.UnsupportedVersion, SwapHeader.Parse(page.Pointer, 11, out _));
        }

        [Fact]
        public void Byte_swapped_header_from_a_big_endian_machine_is_accepted()
        {
            using var page = new PageBuffer();
            HandWrittenHeader(page.Pointer, 0x01000000, 0x0A000000, new uint[] { 0x03000000 });
            PutU32(page.Pointer, 1032, 0x01000000);
            Assert.Equal(SwapHeaderStatus.Valid, SwapHeader.Parse(page.Pointer, 11, out var header));
            Assert.Equal(10u, header.LastPage);
            Assert.Equal(new uint[] { 3 }, header.BadPages);
        }

        [Fact]
        public void Last_page_beyond_the_device_is_refused_and_last_page_on_the_device_accepted()
        {
            using var page = new PageBuffer();
            HandWrittenHeader(page.Pointer, 1, 100, new uint[0]);
            Assert.Equal(SwapHeaderStatus.LastPageBeyondDevice, SwapHeader.Parse(page.Pointer, 100, out _));
            Assert.Equal(SwapHeaderStatus.Valid, SwapHeader.Parse(page.Pointer, 101, out _));
        }

        [Fact]
        public void Zero_last_page_is_refused_as_empty()
        {
            using var page = new PageBuffer();
            HandWrittenHeader(page.Pointer, 1, 0, new uint[0]);
            Assert.Equal(SwapHeaderStatus.EmptyArea, SwapHeader.Parse(page.Pointer, 10, out _));
        }

        [Fact]
        public void Device_of_one_page_is_refused_as_too_small()
        {
            using var page = new PageBuffer();
            HandWrittenHeader(page.Pointer, 1, 1, new uint[0]);
            Assert.Equal(SwapHeaderStatus.DeviceTooSmall, SwapHeader.Parse(page.Pointer, 1, out _));
        }

        [Theory]
        [InlineData(0u)]
        [InlineData(11u)]
        public void Bad_page_naming_the_header_or_beyond_last_page_is_refused(uint badPage)
        {
            using var page = new PageBuffer();
            HandWrittenHeader(page.Pointer, 1, 10, new uint[] { 4, badPage });
            Assert.Equal(SwapHeaderStatus.BadPageOutOfRange, SwapHeader.Parse(page.Pointer, 20, out _));
        }

        [Fact]
        public void More_bad_pages_than_fit_before_the_magic_is_refused()
        {
            using var page = new PageBuffer();
            HandWrittenHeader(page.Pointer, 1, 1000, new uint[0]);
            PutU32(page.Pointer, 1032, 638);
            Assert.Equal(SwapHeaderStatus.TooManyBadPages, SwapHeader.Parse(page.Pointer, 1001, out _));
        }

        [Fact]
        public void Area_whose_every_page_is_bad_is_refused()
        {
            using var page = new PageBuffer();
            HandWrittenHeader(page.Pointer, 1, 3, new uint[] { 1, 2, 3, 2 });
            Assert.Equal(SwapHeaderStatus.NoUsablePages, SwapHeader.Parse(page.Pointer, 4, out _));
            HandWrittenHeader(page.Pointer, 1, 3, new uint[] { 1, 3, 3 });
            Assert.Equal(SwapHeaderStatus.Valid, SwapHeader.Parse(page.Pointer, 4, out _));
        }

        [Fact]
        public void Format_refuses_arguments_that_would_make_an_invalid_header()
        {
            using var page = new PageBuffer();
            Assert.Equal(-(int)Errno.EINVAL, SwapHeader.Format(page.Pointer, 0, null, null));
            Assert.Equal(-(int)Errno.EINVAL, SwapHeader.Format(page.Pointer, 10, new uint[] { 11 }, null));
            Assert.Equal(-(int)Errno.EINVAL, SwapHeader.Format(page.Pointer, 10, new uint[] { 0 }, null));
            Assert.Equal(-(int)Errno.EINVAL, SwapHeader.Format(page.Pointer, 10, null, new byte[3]));
            Assert.Equal(-(int)Errno.EINVAL, SwapHeader.Format(page.Pointer, 1000, new uint[638], null));
        }

        [Fact]
        public void FormatDevice_propagates_a_write_error()
        {
            var disk = new RamDisk(8) { FailPage = 0 };
            using var page = new PageBuffer();
            Assert.Equal(-(int)Errno.EIO, SwapHeader.FormatDevice(disk, null, page.Pointer));
        }

        static string FindMkswap()
        {
            foreach (var path in new[] { "/sbin/mkswap", "/usr/sbin/mkswap" })
                if (File.Exists(path))
                    return path;
            return null;
        }

        // Runs the real util-linux mkswap on a temp file; returns the file's bytes, or null
        // when mkswap is not installed.
        static byte[] RunMkswap(long fileBytes, string extraArgs)
        {
            string mkswap = FindMkswap();
            if (mkswap == null)
                return null;
            string file = Path.GetTempFileName();
            try
            {
                using (var f = File.OpenWrite(file))
                    f.Write(new byte[fileBytes]);     // a real, hole-free file
                var info = new ProcessStartInfo(mkswap, extraArgs.Replace("FILE", file))
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                };
                using var process = Process.Start(info);
                string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
                process.WaitForExit();
                Assert.True(process.ExitCode == 0, "mkswap failed: " + output);
                return File.ReadAllBytes(file);
            }
            finally
            {
                File.Delete(file);
            }
        }

        [Fact]
        public void Header_written_by_the_real_mkswap_is_valid_with_its_uuid_and_label()
        {
            byte[] image = RunMkswap(1 << 20, "-U 01234567-89ab-cdef-0123-456789abcdef -L cowbird FILE");
            if (image == null)
                return;   // util-linux not installed: nothing to compare against
            fixed (byte* p = image)
            {
                Assert.Equal(SwapHeaderStatus.Valid, SwapHeader.Parse(p, 256, out var header));
                Assert.Equal(255u, header.LastPage);
                Assert.Empty(header.BadPages);
                Assert.Equal(Convert.FromHexString("0123456789abcdef0123456789abcdef"), header.Uuid);
                Assert.Equal("cowbird", System.Text.Encoding.ASCII.GetString(header.Volume, 0, 7));
                Assert.Equal(0, header.Volume[7]);
            }
        }

        [Fact]
        public void Real_mkswap_area_smaller_than_its_file_is_valid_but_refused_on_a_shorter_device()
        {
            // mkswap's size argument is in KiB: 512 KiB = pages 0..127.
            byte[] image = RunMkswap(1 << 20, "FILE 512");
            if (image == null)
                return;
            fixed (byte* p = image)
            {
                Assert.Equal(SwapHeaderStatus.Valid, SwapHeader.Parse(p, 256, out var header));
                Assert.Equal(127u, header.LastPage);
                Assert.Equal(SwapHeaderStatus.LastPageBeyondDevice, SwapHeader.Parse(p, 127, out _));
            }
        }
    }
}
