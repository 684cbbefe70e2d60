import Foundation
import KVEngine
import Testing

@Suite("Chat templates")
struct ChatTemplateTests {
    @Test("SmolLM2's ChatML rendering matches transformers' apply_chat_template")
    func smolLM() throws {
        let model = try TestModel.get()
        let json = try Fixtures.json("tokenizer_vectors.json")
        let chat = try #require(json["chat"] as? [String: Any])
        let messages = try #require(chat["messages"] as? [[String: String]])
        let user = try #require(messages.first?["content"])
        let template = try model.requireChatTemplate()
        #expect(template.family == .chatML)
        let text = template.render(user: user)
        #expect(text == chat["text"] as? String)
        let ids = try #require(chat["ids"] as? [Int]).map(Int32.init)
        #expect(model.tokenizer.encode(text, parseSpecial: true) == ids)
    }

    @Test("family detection")
    func detection() {
        let llama3 = "{% set loop_messages = messages %}<|start_header_id|>' + message['role'] + '<|end_header_id|>"
        #expect(ChatTemplate(detecting: llama3)?.family == .llama3)
        #expect(ChatTemplate(detecting: llama3)?.render(user: "hi")
            == "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nhi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n")
        #expect(ChatTemplate(detecting: "{{ bos_token }}[INST] {{ message['content'] }} [/INST]")?.render(user: "hi") == "<s>[INST] hi [/INST]")
        let qwen = "{{- '<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\\n' }}<|im_start|>"
        #expect(ChatTemplate(detecting: qwen)?.defaultSystem == "You are Qwen, created by Alibaba Cloud. You are a helpful assistant.")
        let plain = "{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>'}}"
        #expect(ChatTemplate(detecting: plain)?.defaultSystem == nil)
        #expect(ChatTemplate(detecting: "{{ messages }}") == nil)
    }
}
