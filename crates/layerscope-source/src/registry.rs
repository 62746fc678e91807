//! A registry read without any daemon: the manifest the reference names, then blobs by digest,
//! each checked by the reader.

use std::io::Read;
use std::sync::Arc;

use layerscope_reader::{Blobs, Digest, Input, Remote, SourceError as BlobError};
use layerscope_registry::{Client, ImageRef, RegistryError};

use crate::{Located, Request, SourceError, Transport};

pub(crate) fn open(reference: &str, request: &Request) -> Result<Located, SourceError> {
    let image = ImageRef::parse(reference).map_err(RegistryError::from)?;
    let client = Client::new(request.registry.clone())?;
    let manifest = client.manifest(&image, image.reference())?;
    let digest = Digest::parse(&manifest.digest).map_err(|reason| RegistryError::BadReference {
        image: image.to_string(),
        reference: manifest.digest.clone(),
        reason,
    })?;
    Ok(Located::Live {
        input: Input::Remote(Remote {
            blobs: Arc::new(RegistryBlobs { client, image }),
            manifest: manifest.bytes,
            media_type: manifest.media_type,
            digest,
            reference: reference.to_owned(),
        }),
        transport: Transport::Registry,
        reference: reference.to_owned(),
    })
}

/// One image's manifests and blobs in its registry.
struct RegistryBlobs {
    client: Client,
    image: ImageRef,
}

impl Blobs for RegistryBlobs {
    fn manifest(&self, digest: &Digest, limit: u64) -> Result<Vec<u8>, BlobError> {
        let manifest = self.client.manifest(&self.image, &digest.to_string())?;
        if manifest.bytes.len() as u64 > limit {
            return Err(format!(
                "{}: manifest {digest} is {} bytes; more than {limit} is refused",
                self.image,
                manifest.bytes.len()
            )
            .into());
        }
        Ok(manifest.bytes)
    }

    fn blob_small(&self, digest: &Digest, limit: u64) -> Result<Vec<u8>, BlobError> {
        Ok(self
            .client
            .blob_bytes(&self.image, &digest.to_string(), limit)?)
    }

    fn blob(&self, digest: &Digest) -> Result<Box<dyn Read + Send>, BlobError> {
        Ok(self.client.blob(&self.image, &digest.to_string())?)
    }
}
