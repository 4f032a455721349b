// The slice of the WebAssembly JS API that engine-wasm.ts uses. TypeScript declares it only
// in lib.dom, which this project leaves out; Node 20 provides it at run time.
declare namespace WebAssembly {
  interface ModuleImportDescriptor {
    module: string;
    name: string;
    kind: string;
  }
  class Module {
    static imports(module: Module): ModuleImportDescriptor[];
  }
  interface Instance {
    readonly exports: Record<string, unknown>;
  }
  type ModuleImports = Record<string, unknown>;
  type Imports = Record<string, ModuleImports>;
  function compile(bytes: Uint8Array): Promise<Module>;
  function instantiate(module: Module, imports?: Imports): Promise<Instance>;
}
