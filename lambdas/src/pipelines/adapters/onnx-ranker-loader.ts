/**
 * Loads a model for the evaluation with the recommender's own code (`loadOnnxPolicy`: the same checks, the same
 * ranking), against a catalogue view in which every book of the model is available and none is new: both models
 * rank the same books, whatever the catalogue holds today.
 */
import { loadOnnxPolicy, type CatalogueView } from '../../recommendations/adapters/onnx-policy';
import type { ModelFilesRead, Ranker, RankerLoader } from '../ports';

const everyModelBook: CatalogueView = {
  availableBooks: async (bookIds) => new Set(bookIds),
  embeddingsExcept: async () => [],
};

export class OnnxRankerLoader implements RankerLoader {
  async load(files: ModelFilesRead): Promise<Ranker> {
    const policy = await loadOnnxPolicy(files, everyModelBook);
    return {
      version: policy.version,
      historyLength: policy.manifest.historyLength,
      recommend: (inputs, limit) => policy.recommend(inputs, limit),
      release: () => policy.release(),
    };
  }
}
