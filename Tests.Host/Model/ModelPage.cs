using Cowbird.Mm.Vm;

namespace Cowbird.Tests.Host.Model
{
    // One page of a process as the reference model sees it: unmapped, or mapped with a
    // protection and either private contents (its first byte) or a place in a shared
    // object (object id + page index; the byte lives in ReferenceModel.Objects).
    public struct ModelPage
    {
        public bool Mapped;
        public Protection Prot;
        public bool Shared;
        public int Object;
        public ulong Index;
        public byte Content;

        public override string ToString()
        {
            return Mapped ? $"{Prot} {(Shared ? $"shared {Object}:{Index}" : "private")}" : "unmapped";
        }
    }
}
