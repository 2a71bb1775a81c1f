using Internal.Runtime;

namespace Cowbird.Runtime
{
    // Brings a module's statics to life before any managed code touches them.
    // The linker gathers one pointer per module into the `__modules` section; each
    // points at the module's ReadyToRunHeader. Order matters:
    //   1. GC statics: every type with reference-type statics gets a heap block
    //      (its "static base"); until then its slot holds a tagged MethodTable.
    //   2. Eager class constructors (ILC makes every cctor eager, as this corelib
    //      has no ClassConstructorRunner). They include `<Module>..cctor`, which
    //      the C# compiler makes call every [ModuleInitializer] method; so the
    //      ModuleInitializerList (the same methods again) is not run: it would
    //      run each module initializer twice.
    // Thread statics are not supported (the kernel has no thread blocks yet).
    internal static unsafe class ModuleInitializer
    {
        // Initialises every module listed in [modulesStart, modulesEnd).
        internal static void InitializeModules(void** modulesStart, void** modulesEnd)
        {
            for (void** module = modulesStart; module < modulesEnd; module++)
                InitializeStatics((ReadyToRunHeader*)*module);
            for (void** module = modulesStart; module < modulesEnd; module++)
                RunInitializers((ReadyToRunHeader*)*module, ReadyToRunSectionType.EagerCctor);
        }

        // Returns the row of `section` in the module's header, or null when the module has none.
        internal static ModuleInfoRow* FindSection(ReadyToRunHeader* header, ReadyToRunSectionType section)
        {
            if (header->Signature != ReadyToRunHeader.ExpectedSignature)
                RuntimePanic.Fail("ModuleInitializer.FindSection: bad ReadyToRun header signature");
            byte* rows = (byte*)(header + 1);
            for (int i = 0; i < header->NumberOfSections; i++)
            {
                ModuleInfoRow* row = (ModuleInfoRow*)(rows + i * header->EntrySize);
                if (row->SectionId == section)
                    return row;
            }
            return null;
        }

        // A 32-bit self-relative pointer: the target is the field's address plus its value.
        private static byte* ReadRelativePointer(void* field) => (byte*)field + *(int*)field;

        // Allocates the static base of every type listed in the GC static region.
        // Each region entry is a relative pointer to a slot; the slot holds a relative
        // pointer to the statics' MethodTable tagged Uninitialized (and maybe
        // HasPreInitializedData, in which case the next word points at the initial
        // field values). The slot is then overwritten with the new object's address.
        private static void InitializeStatics(ReadyToRunHeader* header)
        {
            ModuleInfoRow* region = FindSection(header, ReadyToRunSectionType.GCStaticRegion);
            if (region == null)
                return;
            for (byte* entry = region->Start; entry < region->End; entry += sizeof(int))
            {
                nint* slot = (nint*)ReadRelativePointer(entry);
                nint tagged = (nint)ReadRelativePointer(slot);
                if ((tagged & GCStaticRegionConstants.Uninitialized) == 0)
                    continue;
                MethodTable* staticsType = (MethodTable*)(tagged & ~(nint)GCStaticRegionConstants.Mask);
                object statics = ObjectAllocator.New(staticsType);
                if ((tagged & GCStaticRegionConstants.HasPreInitializedData) != 0)
                {
                    byte* initialData = ReadRelativePointer((int*)slot + 1);
                    byte* fields = *(byte**)&statics + sizeof(void*);
                    Memory.Copy(fields, initialData, staticsType->BaseSize - 2 * (ulong)sizeof(void*));
                }
                *slot = *(nint*)&statics;
            }
        }

        // Calls each method in a table of relative code pointers (here: eager cctors).
        private static void RunInitializers(ReadyToRunHeader* header, ReadyToRunSectionType section)
        {
            ModuleInfoRow* table = FindSection(header, section);
            if (table == null)
                return;
            for (byte* entry = table->Start; entry < table->End; entry += sizeof(int))
                ((delegate*<void>)ReadRelativePointer(entry))();
        }
    }
}
