using System.Collections.Generic;
using Cowbird.Mm.Vm;

namespace Cowbird.Tests.Host.Model
{
    // The reference model of the whole machine: plain data, no MM code. The live
    // processes in creation order (an op's Pid is an index modulo their count) and the
    // shared objects' bytes keyed by (object id, page index); a page never written reads 0.
    // Each object has the size of the mmap that made it: a mapping mremap grew past it is
    // SIGBUS there.
    public sealed class ReferenceModel
    {
        public readonly List<ModelProcess> Processes = new List<ModelProcess>();
        public readonly Dictionary<(int Object, ulong Index), byte> Objects = new Dictionary<(int, ulong), byte>();
        public readonly Dictionary<int, ulong> ObjectPages = new Dictionary<int, ulong>();
        public int MaxProcesses = 6;    // fork is skipped at this many processes
        int nextObject = 1;

        // A fresh id for the object of a new MAP_SHARED mapping of `pages` pages.
        public int NewObject(int pages)
        {
            ObjectPages[nextObject] = (ulong)pages;
            return nextObject++;
        }

        // True when model page `q` is a shared page past the end of its object.
        public bool PastObject(ModelPage q)
        {
            return q.Shared && q.Index >= ObjectPages[q.Object];
        }

        // What a read of model page `q` must return.
        public byte Expected(ModelPage q)
        {
            if (!q.Shared)
                return q.Content;
            return Objects.TryGetValue((q.Object, q.Index), out byte b) ? b : (byte)0;
        }

        // Records a write of `value` to model page `page` of `p`.
        public void Write(ModelProcess p, int page, byte value)
        {
            ModelPage q = p.View[page];
            if (q.Shared)
                Objects[(q.Object, q.Index)] = value;
            else
                p.View[page].Content = value;
        }

        // True when the page can be read (mapped, not PROT_NONE, not past its object).
        public bool Readable(ModelPage q)
        {
            return q.Mapped && q.Prot != Protection.None && !PastObject(q);
        }
    }
}
