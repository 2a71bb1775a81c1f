namespace Cowbird.Mm.Vm
{
    // What to do at each mapping of a shared object's page during
    // SharedAnonObject.WalkMappings (the "what", separate from the "how to walk"): `vma`
    // maps the page at `address` in vma.Owner (whose PTE there may or may not be
    // populated yet). Return false to stop the walk.
    public abstract class SharedMappingVisitor
    {
        public abstract bool Visit(Vma vma, ulong address);
    }
}
