using Cowbird.Kernel.Boot;
using Cowbird.Runtime.Dispatch;

namespace Cowbird.Kernel.SelfTests
{
    // Default interface methods through the resolver: implementors that keep the
    // default body and implementors that override it, plus an interface that
    // inherits another one and a class inheriting its implementation.
    public sealed class DispatchDefaultMethodSelfTest : SelfTest
    {
        public override string Name => "dispatch-default";

        private interface IDevice
        {
            int Id();
            int Priority() => 10 + Id();
        }

        private interface IBlockDevice : IDevice
        {
            int BlockSize();
        }

        private sealed class Disk : IBlockDevice
        {
            public int Id() => 1;
            public int BlockSize() => 512;
        }

        private sealed class Flash : IBlockDevice
        {
            public int Id() => 2;
            public int Priority() => 99;
            public int BlockSize() => 4096;
        }

        private class Serial : IDevice
        {
            public int Id() => 3;
        }

        private sealed class FastSerial : Serial { }

        private sealed class Timer : IDevice
        {
            public int Id() => 5;
            int IDevice.Priority() => 0;
        }

        private sealed class Cdrom : IBlockDevice
        {
            public int Id() => 6;
            public int BlockSize() => 2048;
        }

        private sealed class Floppy : IBlockDevice
        {
            public int Id() => 7;
            public int BlockSize() => 128;
        }

        private sealed class Tape : IBlockDevice
        {
            public int Id() => 8;
            public int BlockSize() => 1;
        }

        public override bool Run(BootInfo bootInfo)
        {
            ulong resolutionsBefore = InterfaceDispatch.Resolutions;
            IDevice[] devices = { new Disk(), new Flash(), new Serial(), new FastSerial(), new Timer(), new Cdrom() };
            int[] priorities = { 11, 99, 13, 13, 0, 16 };
            bool priorityOk = true;
            for (int i = 0; i < devices.Length; i++)
                priorityOk &= devices[i].Priority() == priorities[i];
            bool ok = Check(priorityOk, "default method body, overrides (implicit and explicit), inherited implementation");

            IBlockDevice[] blocks = { new Disk(), new Flash(), new Cdrom(), new Floppy(), new Tape() };
            int blockSizes = 0;
            int ids = 0;
            for (int i = 0; i < blocks.Length; i++)
            {
                blockSizes += blocks[i].BlockSize();
                ids += blocks[i].Id();
            }
            ok &= Check(blockSizes == 512 + 4096 + 2048 + 128 + 1 && ids == 1 + 2 + 6 + 7 + 8, "an interface inheriting another one");
            ok &= Check(InterfaceDispatch.Resolutions > resolutionsBefore, "the calls went through the dispatch resolver");
            return ok;
        }
    }
}
