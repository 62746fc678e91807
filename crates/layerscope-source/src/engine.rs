//! An image in the Docker engine or Podman, streamed out of it as `docker save` writes it, and
//! asked for again when the explorer's viewer needs a file's bytes.

use std::sync::Arc;

use layerscope_engine::{Engine, Env, Kind, PlatformSpec};
use layerscope_reader::{Input, Opener, Origin, Stream};

use crate::{Located, Request, SourceError, Transport};

pub(crate) fn open(kind: Kind, reference: &str, request: &Request) -> Result<Located, SourceError> {
    let engine = Engine::find(kind, &Env::current())?;
    // Said at once: the engine is not there, or does not have the image (never pulled).
    engine.inspect(reference)?;
    let platform = request.platform.as_ref().map(|p| PlatformSpec {
        os: p.os.clone(),
        architecture: p.architecture.clone(),
        variant: p.variant.clone(),
    });
    let engine = Arc::new(engine);
    let wanted = reference.to_owned();
    let open: Arc<Opener> = Arc::new(move |_| {
        engine
            .export(&wanted, platform.as_ref())
            .map_err(|e| Box::new(e) as layerscope_reader::SourceError)
    });
    let (origin, transport) = match kind {
        Kind::Docker => (Origin::Docker, Transport::Docker),
        Kind::Podman => (Origin::Podman, Transport::Podman),
    };
    Ok(Located::Live {
        input: Input::Stream(Stream { origin, open }),
        transport,
        reference: reference.to_owned(),
    })
}
