namespace Cowbird.Mm.Paging
{
    // What to do at each leaf entry during PageTable.Walk (the "what", separate from
    // the "how to walk"). `pteAddress` is the physical address of the entry, so the
    // visitor can rewrite it through PageTable.Replace.
    public abstract class PteVisitor
    {
        public abstract void Visit(ulong virtualAddress, ulong pteAddress, Pte pte);
    }
}
