using Cowbird.Mm.Vm;

namespace Cowbird.Mm.Rmap
{
    // An anonymous object of the tree of address spaces (Jamie Lokier 2000; Mach and BSD
    // call it a shadow object): the owner of private anonymous pages, each at its linear
    // page index (PageFrame.Mapping = the object, Index = vma.PgOff + page offset).
    //
    // Links (ObjectTreeReverseMap keeps them; invariants at its top):
    //   Parent                 the object this one was copied from (null for a root);
    //   FirstChild/NextSibling/PrevSibling  the objects whose Parent is this one;
    //   FirstVma               the VMAs using it directly (Vma.ObjectNext/ObjectPrev);
    //   Shadowed               the indexes at which it holds a copy-on-write copy of its
    //                          ancestors' page: no VMA below it maps an ancestor's page there;
    //   InheritedPtes          PTEs of its own VMAs holding a page of a proper ancestor;
    //   MergedInto             set when the object was merged into its only child: frames
    //                          that still name it belong to that child (ObjectTreeReverseMap.Owner).
    public sealed class AnonObject
    {
        public AnonObject Parent;
        public AnonObject FirstChild;
        public AnonObject NextSibling;
        public AnonObject PrevSibling;
        public int Children;

        public Vma FirstVma;
        public int Vmas;

        public readonly ShadowSet Shadowed = new ShadowSet();
        public long InheritedPtes;

        public AnonObject MergedInto;
        // False once the object was freed or merged away.
        public bool Live = true;

        // References that keep the object: its VMAs and its children.
        public int References { get { return Vmas + Children; } }
    }
}
